package io.partita.protocol;

/** The one rule for node addresses written as {@code host:port}, shared by the client's seeds and the node config. */
public final class HostPort {
    private HostPort() {
    }

    /**
     * Whether {@code address} is {@code host:port} with a port in 1..65535; an IPv6 host is written in brackets
     * ({@code [::1]:7300}).
     */
    public static boolean isValid(String address) {
        if (address == null) {
            return false;
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        String host = address.substring(0, colon);
        if (host.isBlank() || host.startsWith("[") != host.endsWith("]")
                || (host.contains(":") && !host.startsWith("["))) {
            return false;
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            return port >= 1 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
