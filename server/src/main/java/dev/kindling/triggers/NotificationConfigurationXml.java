package dev.kindling.triggers;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * S3's NotificationConfiguration document as PutBucketNotificationConfiguration sends it and
 * GetBucketNotificationConfiguration answers it: {@code CloudFunctionConfiguration} elements (the model's
 * LambdaFunctionConfigurations), each with an Id, a {@code CloudFunction} ARN, {@code Event}s and a
 * {@code Filter/S3Key/FilterRule} list. Read with DTDs and external entities off: the body is a stranger's.
 */
final class NotificationConfigurationXml {
    private static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
    /** The destinations Kindling does not deliver to yet; the document names them so. */
    private static final List<String> OTHER_DESTINATIONS = List.of("TopicConfiguration", "EventBridgeConfiguration");

    private NotificationConfigurationXml() {}

    /** The configurations of {@code xml}, in order; throws S3's error for a document S3 would refuse. */
    static List<BucketNotification> parse(byte[] xml) {
        Element root = document(xml).getDocumentElement();
        if (!root.getLocalName().equals("NotificationConfiguration")) {
            throw InvalidNotificationException.malformedXml();
        }
        List<BucketNotification> configurations = new ArrayList<>();
        for (Element child : children(root)) {
            String name = child.getLocalName();
            if (name.equals(BucketNotification.Kind.FUNCTION.configurationElement)) {
                configurations.add(configuration(child, BucketNotification.Kind.FUNCTION));
            } else if (name.equals(BucketNotification.Kind.QUEUE.configurationElement)) {
                configurations.add(configuration(child, BucketNotification.Kind.QUEUE));
            } else if (OTHER_DESTINATIONS.contains(name)) {
                throw new InvalidNotificationException("NotImplemented", 501, "Kindling delivers bucket"
                        + " notifications to Lambda functions and SQS queues only: " + name + " is not served yet.",
                        List.of());
            } else {
                throw InvalidNotificationException.malformedXml();
            }
        }
        return configurations;
    }

    /** The document GetBucketNotificationConfiguration answers. */
    static String write(List<BucketNotification> configurations) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<NotificationConfiguration"
                + " xmlns=\"" + NAMESPACE + "\">");
        for (BucketNotification c : configurations) {
            BucketNotification.Kind kind = c.destination().kind();
            xml.append('<').append(kind.configurationElement).append("><Id>").append(escape(c.id())).append("</Id><")
                    .append(kind.arnElement).append('>').append(escape(c.destination().arn())).append("</")
                    .append(kind.arnElement).append('>');
            c.events().forEach(e -> xml.append("<Event>").append(escape(e)).append("</Event>"));
            if (c.prefix().isPresent() || c.suffix().isPresent()) {
                xml.append("<Filter><S3Key>");
                c.prefix().ifPresent(p -> xml.append("<FilterRule><Name>Prefix</Name><Value>").append(escape(p))
                        .append("</Value></FilterRule>"));
                c.suffix().ifPresent(s -> xml.append("<FilterRule><Name>Suffix</Name><Value>").append(escape(s))
                        .append("</Value></FilterRule>"));
                xml.append("</S3Key></Filter>");
            }
            xml.append("</").append(kind.configurationElement).append('>');
        }
        return xml.append("</NotificationConfiguration>").toString();
    }

    private static BucketNotification configuration(Element configuration, BucketNotification.Kind kind) {
        Optional<String> id = Optional.empty();
        Optional<String> arn = Optional.empty();
        List<String> events = new ArrayList<>();
        Optional<String> prefix = Optional.empty();
        Optional<String> suffix = Optional.empty();
        for (Element child : children(configuration)) {
            switch (child.getLocalName()) {
                case "Id" -> id = Optional.of(child.getTextContent().trim());
                case "CloudFunction", "Queue" -> {
                    if (!child.getLocalName().equals(kind.arnElement)) {
                        throw InvalidNotificationException.malformedXml();
                    }
                    arn = Optional.of(child.getTextContent().trim());
                }
                case "Event" -> events.add(event(child.getTextContent().trim()));
                case "Filter" -> {
                    for (Element rule : filterRules(child)) {
                        String ruleName = text(rule, "Name").orElseThrow(InvalidNotificationException::malformedXml);
                        String value = text(rule, "Value").orElseThrow(InvalidNotificationException::malformedXml);
                        switch (ruleName.toLowerCase(java.util.Locale.ROOT)) {
                            case "prefix" -> prefix = once(prefix, value, "prefix");
                            case "suffix" -> suffix = once(suffix, value, "suffix");
                            default -> throw InvalidNotificationException.invalidArgument(
                                    "filter rule name must be either prefix or suffix", "FilterRule.Name", ruleName);
                        }
                    }
                }
                default -> throw InvalidNotificationException.malformedXml();
            }
        }
        if (arn.isEmpty() || events.isEmpty()) {
            throw InvalidNotificationException.malformedXml();
        }
        String configurationId = id.filter(s -> !s.isEmpty()).orElseGet(() -> Base64.getEncoder().encodeToString(
                UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII)));
        return new BucketNotification(configurationId, new BucketNotification.Destination(kind, arn.get()),
                List.copyOf(events), prefix, suffix);
    }

    private static String event(String name) {
        if (!S3EventTypes.ALL.contains(name)) {
            throw InvalidNotificationException.invalidArgument("The event is not supported for notifications",
                    "Event", name);
        }
        return name;
    }

    private static Optional<String> once(Optional<String> current, String value, String rule) {
        if (current.isPresent()) {
            throw InvalidNotificationException.invalidArgument("Cannot specify more than one " + rule
                    + " rule in a filter.", "FilterRule.Name", rule);
        }
        return Optional.of(value);
    }

    private static List<Element> filterRules(Element filter) {
        List<Element> rules = new ArrayList<>();
        for (Element key : children(filter)) {
            if (!key.getLocalName().equals("S3Key")) {
                throw InvalidNotificationException.malformedXml();
            }
            for (Element rule : children(key)) {
                if (!rule.getLocalName().equals("FilterRule")) {
                    throw InvalidNotificationException.malformedXml();
                }
                rules.add(rule);
            }
        }
        return rules;
    }

    private static Optional<String> text(Element parent, String name) {
        return children(parent).stream().filter(e -> e.getLocalName().equals(name)).findFirst()
                .map(Node::getTextContent);
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                elements.add(e);
            }
        }
        return elements;
    }

    private static Document document(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // no warnings on stderr
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw InvalidNotificationException.malformedXml();
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
