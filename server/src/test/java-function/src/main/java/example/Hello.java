package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/** RequestHandler with a Map in and a Map out: what the Context says, and both ways of logging. */
public class Hello implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        context.getLogger().log("LambdaLogger says hello to " + event.get("name") + "\nsecond line, same event");
        System.out.println("System.out says hello");
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("greeting", "hello " + event.get("name"));
        seen.put("requestId", context.getAwsRequestId());
        seen.put("functionName", context.getFunctionName());
        seen.put("functionVersion", context.getFunctionVersion());
        seen.put("invokedFunctionArn", context.getInvokedFunctionArn());
        seen.put("memoryLimitInMB", context.getMemoryLimitInMB());
        seen.put("remainingTimeInMillis", context.getRemainingTimeInMillis());
        seen.put("logGroupName", context.getLogGroupName());
        seen.put("logStreamName", context.getLogStreamName());
        seen.put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20);
        seen.put("javaVersion", Runtime.version().feature());
        return seen;
    }
}
