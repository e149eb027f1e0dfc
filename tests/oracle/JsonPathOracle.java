import java.io.*;
import java.nio.charset.StandardCharsets;
import com.jayway.jsonpath.JsonPath;
import net.minidev.json.JSONValue;

/**
 * Batch oracle for vtlgw's JSONPath differential tests: Jayway JsonPath in one JVM.
 *
 * stdin:  records "<mode> <byte-length>\n<utf-8 bytes>"; mode "doc" sets the JSON document,
 *         mode "path" evaluates a path on it.
 * stdout: for each "path" record, "OK <len>\n<compact JSON of the result>" or
 *         "ERR <len>\n<exception class>: <message>".
 */
public class JsonPathOracle {
    public static void main(String[] args) throws Exception {
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
        OutputStream out = new BufferedOutputStream(System.out);
        Object doc = null;
        while (true) {
            String header = readLine(in);
            if (header == null) break;
            String[] parts = header.split(" ");
            byte[] body = new byte[Integer.parseInt(parts[1])];
            in.readFully(body);
            String text = new String(body, StandardCharsets.UTF_8);
            if (parts[0].equals("doc")) {
                doc = com.jayway.jsonpath.Configuration.defaultConfiguration().jsonProvider().parse(text);
                continue;
            }
            String status = "OK";
            String result;
            try {
                Object value = JsonPath.read(doc, text);
                result = JSONValue.toJSONString(value);
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
