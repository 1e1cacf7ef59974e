public class L2Probe {
    public static void main(String[] a) {
        int kb = Integer.parseInt(a[0]);
        float[] x = new float[kb * 256], y = new float[kb * 256];
        for (int i = 0; i < x.length; i++) { x[i] = i % 7; y[i] = i % 5; }
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        double sink = 0;
        for (int round = 0; round < 12; round++) {
            long t0 = mx.getCurrentThreadCpuTime();
            int reps = 0;
            while (mx.getCurrentThreadCpuTime() - t0 < 200_000_000L) {
                for (int r = 0; r < 10; r++) { float s = 0; for (int i = 0; i < x.length; i++) { y[i] += 0.5f * x[i]; } sink += y[r]; }
                reps += 10;
            }
            long dt = mx.getCurrentThreadCpuTime() - t0;
            System.out.printf("%.1f ", dt / 1e3 / reps);
        }
        System.out.println(" (" + sink + ")");
    }
}
