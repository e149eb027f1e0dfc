import java.io.*;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Batch oracle for vtlgw's $util tests: runs the JDK functions behind API Gateway's
 * $util.urlEncode, urlDecode, base64Encode and base64Decode in one JVM.
 *
 * Text travels as UTF-16 code units (big-endian), so lone surrogates survive both ways.
 * stdin:  repeated records "<mode> <unit-count>\n<2 bytes per unit>", mode one of
 *         "uenc", "udec", "b64e", "b64d".
 * stdout: one record per input, "OK <unit-count>\n<units>" or "ERR <unit-count>\n<units>",
 *         where an error is "<SimpleClassName>: <message>".
 */
public class UtilOracle {
    public static void main(String[] args) throws Exception {
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(System.out));
        while (true) {
            String header = readLine(in);
            if (header == null) break;
            String[] parts = header.split(" ");
            char[] units = new char[Integer.parseInt(parts[1])];
            for (int i = 0; i < units.length; i++) units[i] = in.readChar();
            String s = new String(units);
            String status = "OK";
            String result;
            try {
                switch (parts[0]) {
                    case "uenc": result = URLEncoder.encode(s, "UTF-8"); break;
                    case "udec": result = URLDecoder.decode(s, "UTF-8"); break;
                    case "b64e": result = Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)); break;
                    case "b64d": result = new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8); break;
                    default: throw new IllegalStateException("unknown mode " + parts[0]);
                }
            } catch (Exception e) {
                status = "ERR";
                result = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            out.writeBytes(status + " " + result.length() + "\n");
            out.writeChars(result);
        }
        out.flush();
    }

    private static String readLine(DataInputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') b.append((char) c);
        if (c == -1 && b.length() == 0) return null;
        return b.toString();
    }
}
