package io.tasque.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class BarChartTest {

    private static final List<PeerResults.Row> ROWS = List.of(
            new PeerResults.Row("tasque-java 0.1.0", new double[] {35_922, 180_408, 15_865, 21_243, 19_631}),
            new PeerResults.Row("a <b> & \"c\"", new double[] {8_206, Double.NaN, 4_088, 0, 4_075}));

    @Test
    void isWellFormedSvgWithOneBarPerFigureAndEveryValueLabelled() throws Exception {
        String svg = new BarChart("title", "subtitle", ROWS).svg();
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        long bars = doc.getElementsByTagName("title").getLength();
        assertEquals(8, bars, "10 figures less the missing one and the zero");
        assertTrue(svg.contains(">180k<"));
        assertTrue(svg.contains(">4.1k<"));
        assertTrue(svg.contains(">n/a<"));
        assertTrue(svg.contains("a &lt;b&gt; &amp; &quot;c&quot;"));
    }

    @Test
    void theLogAxisIsLabelledAtPowersOfTen() {
        String svg = new BarChart("t", "s", ROWS).svg();
        assertTrue(svg.contains(">1k<"));
        assertTrue(svg.contains(">10k<"));
        assertTrue(svg.contains(">100k<"));
        assertTrue(svg.contains(">1M<"));
    }
}
