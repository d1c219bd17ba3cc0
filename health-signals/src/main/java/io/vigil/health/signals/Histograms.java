package io.vigil.health.signals;

/** Percentiles of bucketed distributions. */
final class Histograms {
    private Histograms() {}

    /**
     * The value below which {@code p} of the observations fall, interpolated linearly inside the bucket that holds
     * that rank (the first bucket starts at 0), as Prometheus's {@code histogram_quantile} does.
     *
     * @param bounds     the buckets' upper bounds, ascending
     * @param cumulative the number of observations at or below each bound
     * @param p          in (0, 1)
     * @return the percentile, NaN when no observation is counted; the last bound when the rank lies above it
     */
    static double percentile(double[] bounds, double[] cumulative, double p) {
        int n = bounds.length;
        if (n == 0 || cumulative[n - 1] <= 0) {
            return Double.NaN;
        }
        double rank = p * cumulative[n - 1];
        for (int i = 0; i < n; i++) {
            if (cumulative[i] >= rank) {
                double lower = i == 0 ? 0 : bounds[i - 1];
                double below = i == 0 ? 0 : cumulative[i - 1];
                double inBucket = cumulative[i] - below;
                return inBucket <= 0 ? bounds[i] : lower + (bounds[i] - lower) * (rank - below) / inBucket;
            }
        }
        return bounds[n - 1];
    }
}
