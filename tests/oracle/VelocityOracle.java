import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.commons.lang.StringEscapeUtils;

/**
 * Batch oracle for vtlgw's differential tests: renders many templates in one JVM.
 *
 * stdin:  repeated records "<mode> <byte-length>\n<utf-8 bytes>", mode is "vtl" (render with
 *         Velocity 1.7 in a fresh context) or "ejs" (commons-lang 2.6 escapeJavaScript).
 * stdout: one record per input, "OK <byte-length>\n<bytes>" or "ERR <byte-length>\n<message>".
 */
public class VelocityOracle {
    public static void main(String[] args) throws Exception {
        VelocityEngine engine = new VelocityEngine();
        engine.setProperty("runtime.log.logsystem.class", "org.apache.velocity.runtime.log.NullLogChute");
        engine.init();
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
        OutputStream out = new BufferedOutputStream(System.out);
        int n = 0;
        while (true) {
            String header = readLine(in);
            if (header == null) break;
            String[] parts = header.split(" ");
            byte[] body = new byte[Integer.parseInt(parts[1])];
            in.readFully(body);
            String source = new String(body, StandardCharsets.UTF_8);
            String status = "OK";
            String result;
            try {
                if (parts[0].equals("ejs")) {
                    result = StringEscapeUtils.escapeJavaScript(source);
                } else {
                    StringWriter w = new StringWriter();
                    engine.evaluate(new VelocityContext(), w, "t" + (n++), source);
                    result = w.toString();
                }
            } catch (Throwable e) {
                status = "ERR";
                result = e.getClass().getSimpleName() + ": " + e.getMessage();
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
