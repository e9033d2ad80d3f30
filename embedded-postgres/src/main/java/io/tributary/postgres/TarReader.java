package io.tributary.postgres;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the entries of a tar stream: the POSIX ustar and GNU formats, with GNU long names
 * ({@code L}/{@code K}) and pax extended headers ({@code x}: {@code path}, {@code linkpath},
 * {@code size}), as far as unpacking a software distribution needs (regular files, directories,
 * symbolic links). Any other entry type is an error, never skipped silently.
 *
 * <p>Ours, and not commons-compress, so that unpacking does not depend on the commons-io and
 * commons-lang3 versions a Flink class path mediates to (commons-compress 1.28 needs newer ones
 * than Flink 1.20 and the Kinesis connector bring).
 */
final class TarReader {
  private static final int BLOCK = 512;

  /** An entry; the content of a {@link Type#FILE} is read from {@link TarReader#content()}. */
  static final class Entry {
    final String name;
    final Type type;
    final long size;
    final int mode;
    final String linkName;

    Entry(String name, Type type, long size, int mode, String linkName) {
      this.name = name;
      this.type = type;
      this.size = size;
      this.mode = mode;
      this.linkName = linkName;
    }
  }

  enum Type { FILE, DIRECTORY, SYMLINK }

  private final InputStream in;
  private final byte[] header = new byte[BLOCK];
  private long remaining; // bytes of the current entry's content not read yet
  private long padding; // zero bytes after the content, up to the next block

  TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, or null at the end of the archive. Skips what is left of the previous one. */
  Entry next() throws IOException {
    skip(remaining + padding);
    remaining = 0;
    padding = 0;
    String longName = null;
    String longLink = null;
    Long paxSize = null;
    while (true) {
      if (!readBlock(header)) {
        return null; // end of stream without the end-of-archive blocks: tolerated, as GNU tar does
      }
      if (isZero(header)) {
        return null; // end-of-archive marker
      }
      checkChecksum();
      char flag = (char) header[156];
      long size = number(124, 12);
      switch (flag) {
        case 'L':
          longName = cString(readAll(size));
          continue;
        case 'K':
          longLink = cString(readAll(size));
          continue;
        case 'x': {
          String pax = new String(readAll(size), StandardCharsets.UTF_8);
          for (String[] record : paxRecords(pax)) {
            if (record[0].equals("path")) {
              longName = record[1];
            } else if (record[0].equals("linkpath")) {
              longLink = record[1];
            } else if (record[0].equals("size")) {
              paxSize = Long.parseLong(record[1]);
            }
          }
          continue;
        }
        case 'g':
          readAll(size); // global pax header: nothing in it matters for unpacking
          continue;
        default:
          break;
      }
      String name = longName != null ? longName : headerName();
      String link = longLink != null ? longLink : field(157, 100);
      int mode = (int) number(100, 8);
      Type type;
      if (flag == '0' || flag == '\0' || flag == '7') {
        type = Type.FILE;
      } else if (flag == '5') {
        type = Type.DIRECTORY;
      } else if (flag == '2') {
        type = Type.SYMLINK;
      } else {
        throw new IOException("Unsupported tar entry type '" + flag + "' for " + name);
      }
      long contentSize = type == Type.FILE ? (paxSize != null ? paxSize : size) : 0;
      remaining = contentSize;
      padding = (BLOCK - contentSize % BLOCK) % BLOCK;
      return new Entry(name, type, contentSize, mode, link);
    }
  }

  /** The content of the current file entry; reads at most its size. Do not close it. */
  InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw new EOFException("Tar archive ends inside an entry");
        }
        remaining -= n;
        return n;
      }
    };
  }

  private String headerName() {
    String name = field(0, 100);
    boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    boolean gnu = ustar && header[262] == ' '; // GNU's "ustar  \0" has no prefix field
    String prefix = ustar && !gnu ? field(345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private String field(int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  /** An octal field, or GNU's base-256 (high bit of the first byte set) for large values. */
  private long number(int offset, int length) throws IOException {
    if ((header[offset] & 0x80) != 0) {
      long value = header[offset] & 0x7f;
      for (int i = offset + 1; i < offset + length; i++) {
        value = (value << 8) | (header[i] & 0xff);
      }
      return value;
    }
    int i = offset;
    int end = offset + length;
    while (i < end && (header[i] == ' ' || header[i] == 0)) {
      i++;
    }
    long value = 0;
    for (; i < end && header[i] >= '0' && header[i] <= '7'; i++) {
      value = value * 8 + (header[i] - '0');
    }
    for (; i < end; i++) {
      if (header[i] != 0 && header[i] != ' ') {
        throw new IOException("Corrupt tar header: not an octal number at offset " + offset);
      }
    }
    return value;
  }

  private void checkChecksum() throws IOException {
    long recorded = number(148, 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
    }
    if (sum != recorded) {
      throw new IOException("Corrupt tar header (checksum " + sum + ", recorded " + recorded + ")");
    }
  }

  private byte[] readAll(long size) throws IOException {
    if (size > 1 << 20) {
      throw new IOException("Tar metadata entry of " + size + " bytes is implausibly large");
    }
    byte[] data = new byte[(int) size];
    readFully(data);
    skip((BLOCK - size % BLOCK) % BLOCK);
    return data;
  }

  /** Reads a whole header block; false at the end of the stream before its first byte. */
  private boolean readBlock(byte[] block) throws IOException {
    return fill(block, true);
  }

  private void readFully(byte[] data) throws IOException {
    fill(data, false);
  }

  private boolean fill(byte[] data, boolean mayEndBefore) throws IOException {
    int n = 0;
    while (n < data.length) {
      int r = in.read(data, n, data.length - n);
      if (r < 0) {
        if (mayEndBefore && n == 0) {
          return false;
        }
        throw new EOFException(mayEndBefore ? "Tar archive ends inside a header" : "Tar archive ends inside an entry");
      }
      n += r;
    }
    return true;
  }

  private void skip(long bytes) throws IOException {
    byte[] buffer = new byte[8192];
    while (bytes > 0) {
      int r = in.read(buffer, 0, (int) Math.min(buffer.length, bytes));
      if (r < 0) {
        throw new EOFException("Tar archive ends inside an entry");
      }
      bytes -= r;
    }
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String cString(byte[] data) {
    int end = 0;
    while (end < data.length && data[end] != 0) {
      end++;
    }
    return new String(data, 0, end, StandardCharsets.UTF_8);
  }

  /** Pax records "length key=value\n", each as {key, value}. */
  private static java.util.List<String[]> paxRecords(String pax) throws IOException {
    java.util.List<String[]> records = new java.util.ArrayList<>();
    byte[] bytes = pax.getBytes(StandardCharsets.UTF_8);
    int pos = 0;
    while (pos < bytes.length) {
      int space = pos;
      while (space < bytes.length && bytes[space] != ' ') {
        space++;
      }
      int length;
      try {
        length = Integer.parseInt(new String(bytes, pos, space - pos, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new IOException("Corrupt pax header", e);
      }
      if (length <= 0 || pos + length > bytes.length) {
        throw new IOException("Corrupt pax header record length " + length);
      }
      String record = new String(bytes, space + 1, pos + length - space - 2, StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq > 0) {
        records.add(new String[] {record.substring(0, eq), record.substring(eq + 1)});
      }
      pos += length;
    }
    return records;
  }
}
