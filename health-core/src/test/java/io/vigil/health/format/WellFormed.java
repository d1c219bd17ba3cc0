package io.vigil.health.format;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;

/**
 * Parses the status page with the JDK's strict XML parser (no DTD loaded, no entity but the five XML ones): a page
 * that parses has balanced tags, quoted attributes, and no stray {@code <} or {@code &} from a dynamic value.
 */
public final class WellFormed {
    private WellFormed() {}

    /**
     * @param page the page's markup
     * @return its DOM
     * @throws AssertionError if it is not well-formed
     */
    @SuppressWarnings("exports") // test support: whoever calls it reads java.xml anyway
    public static Document parse(String page) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setExpandEntityReferences(false);
            var builder = f.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(
                    "status page is not well-formed: " + e.getMessage() + "\n"
                            + page.substring(0, Math.min(page.length(), 4000)),
                    e);
        }
    }
}
