package dev.kindling.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which changes a configuration matches, which configurations overlap, and the XML S3 reads and writes. */
class BucketNotificationTest {
    private static final BucketNotification.Destination FUNCTION = new BucketNotification.Destination(
            BucketNotification.Kind.FUNCTION, "arn:aws:lambda:us-east-1:000000000000:function:f");

    private static BucketNotification config(List<String> events, String prefix, String suffix) {
        return new BucketNotification("id", FUNCTION, events, Optional.ofNullable(prefix), Optional.ofNullable(suffix));
    }

    @Test
    void wildcardsCoverTheirKindAndFiltersTheirKeys() {
        BucketNotification created = config(List.of("s3:ObjectCreated:*"), "uploads/", ".jpg");
        assertThat(created.matches("ObjectCreated:Put", "uploads/cat.jpg")).isTrue();
        assertThat(created.matches("ObjectCreated:CompleteMultipartUpload", "uploads/a/b.jpg")).isTrue();
        assertThat(created.matches("ObjectRemoved:Delete", "uploads/cat.jpg")).isFalse();
        assertThat(created.matches("ObjectCreated:Put", "other/cat.jpg")).isFalse();
        assertThat(created.matches("ObjectCreated:Put", "uploads/cat.png")).isFalse();
        BucketNotification puts = config(List.of("s3:ObjectCreated:Put"), null, null);
        assertThat(puts.matches("ObjectCreated:Put", "anything")).isTrue();
        assertThat(puts.matches("ObjectCreated:Copy", "anything")).isFalse();
    }

    @Test
    void configurationsOverlapWhenAnEventAndAKeyCouldMatchBoth() {
        BucketNotification all = config(List.of("s3:ObjectCreated:*"), null, null);
        assertThat(all.overlaps(config(List.of("s3:ObjectCreated:Put"), "images/", null))).isTrue();
        assertThat(all.overlaps(config(List.of("s3:ObjectRemoved:*"), null, null))).isFalse();
        BucketNotification images = config(List.of("s3:ObjectCreated:Put"), "images/", null);
        assertThat(images.overlaps(config(List.of("s3:ObjectCreated:Put"), "images/raw/", null))).isTrue();
        assertThat(images.overlaps(config(List.of("s3:ObjectCreated:Put"), "videos/", null))).isFalse();
        BucketNotification jpg = config(List.of("s3:ObjectCreated:Put"), null, ".jpg");
        assertThat(jpg.overlaps(config(List.of("s3:ObjectCreated:Put"), null, ".png"))).isFalse();
        assertThat(jpg.overlaps(config(List.of("s3:ObjectCreated:Put"), null, "large.jpg"))).isTrue();
        assertThat(jpg.overlaps(config(List.of("s3:ObjectCreated:Put"), "images/", null))).isTrue();
    }

    @Test
    void theDocumentIsReadAndWrittenInS3sElements() {
        String xml = """
                <NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
                  <CloudFunctionConfiguration><Id>one</Id>
                    <CloudFunction>arn:aws:lambda:us-east-1:000000000000:function:f</CloudFunction>
                    <Event>s3:ObjectCreated:*</Event><Event>s3:ObjectRemoved:Delete</Event>
                    <Filter><S3Key><FilterRule><Name>prefix</Name><Value>a/</Value></FilterRule>
                      <FilterRule><Name>SUFFIX</Name><Value>.txt</Value></FilterRule></S3Key></Filter>
                  </CloudFunctionConfiguration>
                  <QueueConfiguration><Queue>arn:aws:sqs:us-east-1:000000000000:q</Queue>
                    <Event>s3:ObjectCreated:Put</Event></QueueConfiguration>
                </NotificationConfiguration>""";
        List<BucketNotification> parsed = NotificationConfigurationXml.parse(xml.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed).hasSize(2);
        assertThat(parsed.get(0)).isEqualTo(new BucketNotification("one", FUNCTION,
                List.of("s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"), Optional.of("a/"), Optional.of(".txt")));
        assertThat(parsed.get(1).destination().kind()).isEqualTo(BucketNotification.Kind.QUEUE);
        assertThat(parsed.get(1).id()).as("an Id is made when none is given").isNotEmpty();
        assertThat(NotificationConfigurationXml.parse(NotificationConfigurationXml.write(parsed)
                .getBytes(StandardCharsets.UTF_8))).isEqualTo(parsed);
        assertThat(NotificationConfigurationXml.write(parsed)).contains("<Name>Prefix</Name>", "<Name>Suffix</Name>");
    }

    @Test
    void documentsS3WouldRefuseAreRefusedInItsWords() {
        assertRefused("<NotificationConfiguration><CloudFunctionConfiguration><Event>s3:ObjectCreated:*</Event>"
                + "</CloudFunctionConfiguration></NotificationConfiguration>", "MalformedXML");
        assertRefused("not xml", "MalformedXML");
        assertRefused("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><NotificationConfiguration>&e;"
                + "</NotificationConfiguration>", "MalformedXML");
        assertThat(assertRefused(function("<Event>s3:ObjectCreated:Sideways</Event>"), "InvalidArgument")
                .getMessage()).isEqualTo("The event is not supported for notifications");
        assertThat(assertRefused(function("<Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>prefix"
                + "</Name><Value>a</Value></FilterRule><FilterRule><Name>Prefix</Name><Value>b</Value></FilterRule>"
                + "</S3Key></Filter>"), "InvalidArgument").getMessage())
                .isEqualTo("Cannot specify more than one prefix rule in a filter.");
        assertThat(assertRefused("<NotificationConfiguration><TopicConfiguration/></NotificationConfiguration>",
                "NotImplemented").status()).isEqualTo(501);
    }

    @Test
    void keysAreEncodedAsS3EncodesThemInEvents() {
        assertThat(S3EventRecord.encodeKey("uploads/my photo (1)+x.jpg")).isEqualTo("uploads/my+photo+%281%29%2Bx.jpg");
        assertThat(S3EventRecord.encodeKey("é/ü")).isEqualTo("%C3%A9/%C3%BC");
    }

    private static String function(String inner) {
        return "<NotificationConfiguration><CloudFunctionConfiguration><CloudFunction>"
                + FUNCTION.arn() + "</CloudFunction>" + inner + "</CloudFunctionConfiguration></NotificationConfiguration>";
    }

    private static InvalidNotificationException assertRefused(String xml, String code) {
        InvalidNotificationException e = catchThrowableOfType(InvalidNotificationException.class,
                () -> NotificationConfigurationXml.parse(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(e).as("refused: %s", xml).isNotNull();
        assertThat(e.code()).isEqualTo(code);
        return e;
    }
}
