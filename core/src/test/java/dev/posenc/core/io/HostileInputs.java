package dev.posenc.core.io;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Hostile files built in code (nothing big is committed), and a meter for the heap a read allocates: a reader
 * may allocate about what the file justifies, never what its header merely declares.
 */
final class HostileInputs {
    private HostileInputs() {}

    /** Heap bytes this thread allocated while {@code body} ran (HotSpot's per-thread TLAB accounting). */
    static long allocatedBy(ThrowingRunnable body) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        body.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * A valid 8-bit grey PNG of width × height black pixels, built without deflating all of it: a band of rows
     * (each a filter byte 0 and black) is deflated once, ending on a full flush so that it stands alone, and
     * the IDAT repeats it. 20000 × 20000 (400 MB of pixels) costs ~400 KB of file, and milliseconds.
     */
    static byte[] blackGreyPng(int width, int height) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).array());
        int band = 1;
        for (int r = 2; r <= 64; r++) if (height % r == 0) band = r;
        byte[] bandBytes = deflatedZeros((long) band * (width + 1));
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        idat.writeBytes(new byte[] {0x78, (byte) 0xda});                 // zlib header: deflate, 32 KB window
        for (int i = 0; i < height / band; i++) idat.writeBytes(bandBytes);
        idat.writeBytes(new byte[] {0x03, 0x00});                          // an empty final fixed-Huffman block
        long n = (long) height * (width + 1);
        int adler = (int) ((n % 65521) << 16 | 1);                         // Adler-32 of n zeros: a = 1, b = n mod 65521
        idat.writeBytes(ByteBuffer.allocate(4).putInt(adler).array());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /** n zero bytes as raw deflate blocks ending in a full flush: no final block, no back reference past them. */
    private static byte[] deflatedZeros(long n) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 16], buf = new byte[1 << 16];
        for (long left = n; left > 0; left -= zeros.length) {
            deflater.setInput(zeros, 0, (int) Math.min(zeros.length, left));
            while (!deflater.needsInput()) out.write(buf, 0, deflater.deflate(buf));
        }
        int got;
        while ((got = deflater.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH)) > 0) out.write(buf, 0, got);
        deflater.end();
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(t);
        png.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
