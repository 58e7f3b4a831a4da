package example;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Handlers that implement no interface, named Class::method, in every shape AWS accepts. */
public class Plain {
    public String echo(String text) {
        return "echo: " + text;
    }

    public static int increment(int number) {
        return number + 1;
    }

    public boolean negate(boolean value) {
        return !value;
    }

    public long sum(List<Long> numbers) {
        return numbers.stream().mapToLong(Long::longValue).sum();
    }

    public String describe(Map<String, Object> event, Context context) {
        return event.get("key") + " in " + context.getFunctionName();
    }

    public void streams(InputStream in, OutputStream out, Context context) throws IOException {
        out.write(("{\"bytes\":" + in.readAllBytes().length + ",\"function\":\"" + context.getFunctionName() + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Overloads: AWS picks the one with the most parameters. */
    public String overloaded(String text) {
        return "one parameter";
    }

    public String overloaded(String text, Context context) {
        return "two parameters";
    }

    public Receipt order(Order order) {
        Receipt receipt = new Receipt();
        receipt.setOrderId(order.id);
        receipt.setTotal(order.quantity * order.getUnitPrice());
        receipt.items = order.items.size();
        return receipt;
    }

    public void nothing(Map<String, Object> event) {
        // returns nothing: the response is null
    }
}
