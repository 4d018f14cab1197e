package com.acme.subscription.support;

import java.io.IOException;

/** What a test may do with the {@link TcpProxy}, by name, through the platform MBean server. */
public interface TcpProxyMBean {

    int getPort();

    void up() throws IOException;

    void down() throws IOException;
}
