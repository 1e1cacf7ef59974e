import java.lang.foreign.*;
import java.nio.ByteOrder;
import jdk.incubator.vector.*;
public class PackOrder {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512; static final int L=16, MR=14, KC=256, NR=32;
    static final ByteOrder BO = ByteOrder.nativeOrder();
    static final int K=16384, M=256, SLICE=2048;
    // TN A pack: one slice, row block of tiles [t0,t1), group of 1024 rows (4 blocks), tile-wise (current)
    static void aTile(float[] ap, MemorySegment a, int k0, int len, int t0, int t1) {
        int blocks = len / KC;
        for (int p = t0; p < t1; p++) for (int q = 0; q < blocks; q++) {
            int off = ((p - t0) * blocks + q) * MR * KC; long src = ((long)(k0 + q*KC) * M + p*MR) * 4;
            for (int kk = 0; kk < KC; kk++) FloatVector.fromMemorySegment(S, a, src + (long)kk*M*4, BO).intoArray(ap, off + kk*MR);
        }
    }
    static void aRow(float[] ap, MemorySegment a, int k0, int len, int t0, int t1) {
        int blocks = len / KC;
        for (int q = 0; q < blocks; q++) for (int kk = 0; kk < KC; kk++) {
            long src = ((long)(k0 + q*KC + kk) * M) * 4;
            for (int p = t0; p < t1; p++) FloatVector.fromMemorySegment(S, a, src + (long)p*MR*4, BO).intoArray(ap, ((p - t0) * blocks + q) * MR * KC + kk*MR);
        }
    }
    static void bPanel(float[] bp, MemorySegment b, int k0, int len) {
        int np = M;
        for (int kb = 0; kb < len/KC; kb++) for (int panel = 0; panel < np/NR; panel++) {
            int dst = kb*KC*np + panel*KC*NR;
            for (int kk = 0; kk < KC; kk++) { long src = ((long)(k0 + kb*KC + kk)*M + panel*NR)*4;
                FloatVector.fromMemorySegment(S, b, src, BO).intoArray(bp, dst + kk*NR);
                FloatVector.fromMemorySegment(S, b, src+64, BO).intoArray(bp, dst + kk*NR+16); }
        }
    }
    static void bRow(float[] bp, MemorySegment b, int k0, int len) {
        int np = M;
        for (int kb = 0; kb < len/KC; kb++) for (int kk = 0; kk < KC; kk++) {
            long src = ((long)(k0 + kb*KC + kk)*M)*4;
            for (int panel = 0; panel < np/NR; panel++) { int dst = kb*KC*np + panel*KC*NR + kk*NR;
                FloatVector.fromMemorySegment(S, b, src + panel*128, BO).intoArray(bp, dst);
                FloatVector.fromMemorySegment(S, b, src + panel*128 + 64, BO).intoArray(bp, dst+16); }
        }
    }
    public static void main(String[] x) {
        Arena ar = Arena.ofShared();
        MemorySegment a = ar.allocate((long)K*M*4, 64), b = ar.allocate((long)K*M*4, 64), junk = ar.allocate(64L<<20, 64);
        for (long i = 0; i < (long)K*M; i++) { a.setAtIndex(ValueLayout.JAVA_FLOAT, i, i); b.setAtIndex(ValueLayout.JAVA_FLOAT, i, -i); }
        float[] ap = new float[10*8*MR*KC + 16], bp = new float[SLICE*M];
        for (int round = 0; round < 8; round++) {
            for (int v = 0; v < 4; v++) {
                junk.fill((byte) round); // evict
                long t0 = System.nanoTime();
                for (int s = 0; s < K / SLICE; s++) for (int g = 0; g < SLICE; g += 1024) {
                    if (v == 0) { aTile(ap, a, s*SLICE+g, 1024, 0, 9); aTile(ap, a, s*SLICE+g, 1024, 9, 18); }
                    if (v == 1) { aRow(ap, a, s*SLICE+g, 1024, 0, 9); aRow(ap, a, s*SLICE+g, 1024, 9, 18); }
                    if (v == 2) bPanel(bp, b, s*SLICE+g, 1024);
                    if (v == 3) bRow(bp, b, s*SLICE+g, 1024);
                }
                long t1 = System.nanoTime();
                System.out.printf("%s %.2f ms  ", new String[]{"aTile","aRow","bPanel","bRow"}[v], (t1-t0)/1e6);
            }
            System.out.println();
        }
    }
}
