import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.regex.*;

/**
 * Batch oracle for vtlgw's Java regex translation: java.util.regex in one JVM.
 *
 * stdin:  records "<op> <byte-length>\n<pattern>\0<input>\0<argument>" with op one of
 *         matches, find, replaceAll, replaceFirst, split (argument: replacement or limit).
 * stdout: "OK <len>\n<result>" (split: parts joined by \0, prefixed by the count and \0) or
 *         "ERR <len>\n<exception class>".
 */
public class JavaRegexOracle {
    public static void main(String[] args) throws Exception {
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
        OutputStream out = new BufferedOutputStream(System.out);
        while (true) {
            String header = readLine(in);
            if (header == null) break;
            String[] parts = header.split(" ");
            byte[] body = new byte[Integer.parseInt(parts[1])];
            in.readFully(body);
            String[] fields = new String(body, StandardCharsets.UTF_8).split("\0", -1);
            String op = parts[0], pattern = fields[0], input = fields[1], arg = fields[2];
            String status = "OK", result;
            try {
                switch (op) {
                    case "matches": result = String.valueOf(input.matches(pattern)); break;
                    case "find": result = String.valueOf(Pattern.compile(pattern).matcher(input).find()); break;
                    case "replaceAll": result = input.replaceAll(pattern, arg); break;
                    case "replaceFirst": result = input.replaceFirst(pattern, arg); break;
                    default:
                        String[] pieces = input.split(pattern, Integer.parseInt(arg));
                        result = pieces.length + "\0" + String.join("\0", pieces);
                }
            } catch (Throwable e) {
                status = "ERR";
                result = e.getClass().getSimpleName();
            }
            byte[] bytes = result.getBytes(StandardCharsets.UTF_8);
            out.write((status + " " + bytes.length + "\n").getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
        }
        out.flush();
    }

    private static String readLine(DataInputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') b.write(c);
        if (c == -1 && b.size() == 0) return null;
        return b.toString("UTF-8");
    }
}
