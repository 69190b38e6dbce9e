package io.partita.tools.kube;

/** The ordinal a StatefulSet gives its pods: {@code partita-3} is pod 3 of StatefulSet {@code partita}. */
public final class PodName {
    private PodName() {
    }

    /** The number after the last '-' of {@code pod}, or -1 if there is none. */
    public static int ordinal(String pod) {
        int dash = pod.lastIndexOf('-');
        if (dash <= 0 || dash == pod.length() - 1) {
            return -1;
        }
        String digits = pod.substring(dash + 1);
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > 9) {
            return -1;
        }
        return Integer.parseInt(digits);
    }
}
