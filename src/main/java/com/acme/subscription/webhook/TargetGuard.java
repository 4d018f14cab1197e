package com.acme.subscription.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.config.SubscriptionsConfig;
import com.acme.subscription.common.error.ApiException;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Where webhooks may go (SSRF guard): {@code https} (or {@code http} when allowed) URLs whose host
 * resolves only to public addresses, unless private targets are allowed. Checked when an endpoint
 * is saved and again before each delivery, because DNS answers change; the delivery then connects
 * to the address checked, not to a new lookup's. Lookups block, so they run on a worker thread.
 */
@ApplicationScoped
public class TargetGuard {

    /** Where a delivery connects: the host (for Host and TLS) and the address that was checked. */
    public record Target(URI uri, boolean tls, String host, int port, InetAddress address) {

        /** The Host header: an IPv6 address in brackets, the port unless the scheme's own. */
        public String authority() {
            String name = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
            return port == (tls ? 443 : 80) ? name : name + ":" + port;
        }
    }

    /** A target that is not allowed (a delivery attempt records the message). */
    public static class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final boolean allowHttp;
    private final boolean allowPrivate;

    public TargetGuard(SubscriptionsConfig config) {
        this.allowHttp = config.webhooks().allowHttp();
        this.allowPrivate = config.webhooks().allowPrivateTargets();
    }

    /** For the API: the URL in its stored form, or a 400 on field {@code url}. */
    public Uni<String> checkForApi(String url) {
        return resolve(url).map(target -> target.uri().toString())
                .onFailure(Refused.class).transform(e -> ApiException.invalid("url", e.getMessage()));
    }

    /** Parses the URL and resolves its host on a worker thread; fails with {@link Refused}. */
    public Uni<Target> resolve(String url) {
        URI uri;
        try {
            uri = parse(url);
        } catch (Refused e) {
            return Uni.createFrom().failure(e);
        }
        return Uni.createFrom().item(() -> {
            try {
                return target(uri);
            } catch (Refused e) {
                throw new RefusedWrapper(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(RefusedWrapper.class).transform(Throwable::getCause);
    }

    URI parse(String url) throws Refused {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new Refused("must be an absolute http(s) URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new Refused(allowHttp ? "must be an http or https URL" : "must be an https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new Refused("must name a host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new Refused("must not carry user information or a fragment");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new Refused("must name a port from 1 to 65535");
        }
        return uri;
    }

    private Target target(URI uri) throws Refused {
        boolean tls = uri.getScheme().equalsIgnoreCase("https");
        int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        List<InetAddress> addresses;
        try {
            addresses = Arrays.asList(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            throw new Refused("host " + host + " cannot be resolved");
        }
        if (!allowPrivate) {
            // every answer must be public: a client may be steered to any of them
            for (InetAddress address : addresses) {
                if (!isPublic(address)) {
                    throw new Refused("must not resolve to a loopback, link-local or private address ("
                            + address.getHostAddress() + ")");
                }
            }
        }
        return new Target(uri, tls, host, port, addresses.get(0));
    }

    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            int third = b[2] & 0xff;
            return first != 0 // this network
                    && !(first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    && !(first == 192 && second == 0 && third == 0) // IETF protocol assignments
                    && !(first == 192 && second == 0 && third == 2) // documentation (TEST-NET-1)
                    && !(first == 198 && second == 51 && third == 100) // documentation (TEST-NET-2)
                    && !(first == 203 && second == 0 && third == 113) // documentation (TEST-NET-3)
                    && !(first == 198 && (second == 18 || second == 19)) // benchmarking
                    && first < 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7
            }
            if (first == 0x20 && second == 0x01
                    && ((b[2] & 0xfe) == 0 || (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8)) {
                // IETF protocol assignments 2001::/23 (Teredo 2001::/32 hides an IPv4 address in it; benchmarking
                // 2001:2::/48), documentation 2001:db8::/32
                return false;
            }
            if (first == 0x3f && second == 0xff && (b[2] & 0xf0) == 0) {
                return false; // documentation 3fff::/20
            }
            if (first == 0x01 && second == 0 && isZero(b, 2, 8)) {
                return false; // discard-only 100::/64
            }
            if (first == 0 && second == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
                // NAT64 64:ff9b::/96 reaches the IPv4 address it ends with; 64:ff9b:1::/48 is for local use
                return isZero(b, 4, 12) && isPublicIpv4(b, 12);
            }
            if (first == 0x20 && second == 0x02) {
                return isPublicIpv4(b, 2); // 6to4 2002::/16 reaches the IPv4 address after the prefix
            }
            if (isZero(b, 0, 10) && ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff || b[10] == 0 && b[11] == 0)
                    || isZero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && b[10] == 0 && b[11] == 0) {
                // IPv4-mapped ::ffff:a.b.c.d, -compatible ::a.b.c.d, -translated ::ffff:0:a.b.c.d: as that IPv4 address
                return isPublicIpv4(b, 12);
            }
        }
        return true;
    }

    /** Whether the IPv4 address in {@code b} from {@code at} on is public. */
    private static boolean isPublicIpv4(byte[] b, int at) {
        try {
            return isPublic(InetAddress.getByAddress(Arrays.copyOfRange(b, at, at + 4)));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Carries the checked exception through the supplier. */
    private static final class RefusedWrapper extends RuntimeException {
        RefusedWrapper(Refused cause) {
            super(cause);
        }
    }
}
