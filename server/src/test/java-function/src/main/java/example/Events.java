package example;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.util.Map;
import java.util.stream.Collectors;

/** Handlers of aws-lambda-java-events classes: each says what it read, so a test sees AWS's naming rules held. */
public class Events {
    public APIGatewayProxyResponseEvent restApi(APIGatewayProxyRequestEvent event) {
        return new APIGatewayProxyResponseEvent().withStatusCode(201).withHeaders(Map.of("X-Seen", "yes"))
                .withIsBase64Encoded(false)
                .withBody(event.getHttpMethod() + " " + event.getPath() + " " + event.getQueryStringParameters()
                        .get("q") + " " + event.getRequestContext().getRequestId() + " "
                        + event.getRequestContext().getIdentity().getSourceIp() + " " + event.getIsBase64Encoded());
    }

    public APIGatewayV2HTTPResponse httpApi(APIGatewayV2HTTPEvent event) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withHeaders(Map.of("Content-Type", "text/plain"))
                .withBody(event.getRequestContext().getHttp().getMethod() + " " + event.getRawPath() + " "
                        + event.getRawQueryString() + " " + event.getRouteKey() + " " + event.getCookies())
                .build();
    }

    public String sqs(SQSEvent event) {
        return event.getRecords().stream().map(m -> m.getMessageId() + "=" + m.getBody() + "@" + m.getEventSourceArn()
                + "/" + m.getAttributes().get("ApproximateReceiveCount") + "/"
                + m.getMessageAttributes().get("color").getStringValue()).collect(Collectors.joining(","));
    }

    public String s3(S3Event event) {
        return event.getRecords().stream().map(r -> r.getEventName() + " " + r.getS3().getBucket().getName() + "/"
                + r.getS3().getObject().getKey() + " " + r.getS3().getObject().getSizeAsLong() + " "
                + r.getAwsRegion()).collect(Collectors.joining(","));
    }

    public String scheduled(ScheduledEvent event) {
        return event.getDetailType() + " " + event.getSource() + " " + event.getTime().getYear() + " "
                + event.getResources() + " " + event.getAccount();
    }
}
