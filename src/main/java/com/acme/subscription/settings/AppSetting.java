package com.acme.subscription.settings;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A global setting; values are strings, validated per key by {@link SettingKey}. */
@Entity
@Table(name = "app_settings")
public class AppSetting {

    @Id
    public String key;
    public String value;
    public String description;
    public Instant updated;
}
