package io.flowfabric.api;

/** CRC-16/XMODEM (polynomial 0x1021, initial value 0), the checksum partition indexes are derived from. */
final class Crc16 {
    private Crc16() {
    }

    static int xmodem(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc ^= (b & 0xFF) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xFFFF;
        }
        return crc;
    }
}
