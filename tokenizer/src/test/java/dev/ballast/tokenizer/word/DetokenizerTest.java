package dev.ballast.tokenizer.word;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DetokenizerTest {

    @Test
    void punctuationAttachesAndLineBreaksReturn() {
        assertEquals("Hello, world!\nBye.\n", Detokenizer.join(List.of("Hello", ",", "world", "!", "<eos>", "Bye", ".", "<eos>")));
    }

    @Test
    void bracketsQuotesDashesAndContractions() {
        assertEquals("He said \"no (really)\"; it's John's",
                Detokenizer.join(List.of("He", "said", "\"", "no", "(", "really", ")", "\"", ";", "it", "'s", "John", "'s")));
        assertEquals("well-known--so", Detokenizer.join(List.of("well", "-", "known", "-", "-", "so")));
        assertEquals("don't", Detokenizer.join(List.of("do", "n't")));
    }

    @Test
    void streamingPiecesConcatenateToTheJoin() {
        List<String> tokens = List.of("ROMEO", ":", "<eos>", "Ay", ",", "'", "tis", "so", "'", ".", "<eos>");
        Detokenizer d = new Detokenizer();
        StringBuilder sb = new StringBuilder();
        tokens.forEach(t -> sb.append(d.next(t)));
        assertEquals(Detokenizer.join(tokens), sb.toString());
        assertEquals("ROMEO:\nAy, 'tis so'.\n", sb.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n",
            "What's this? A \"quote\" (with brackets) and well-known words; 100% sure...\n",
            "KING RICHARD II:\nO, that I were as great as my grief!\n",
            "Il m'a dit: \"Non!\"\n"})
    void defaultAnalyzerRoundTripsNormallySpacedText(String text) {
        WordTokenizer tok = WordTokenizer.fit(AnalyzerSpec.defaults(), text, 1, 0);
        assertEquals(text, tok.decode(tok.encode(text)));
    }

    @Test
    void whitespaceRoundTripOfPlainWords() {
        String text = "the cat sat on the mat\nit was N years old\n";
        WordTokenizer tok = WordTokenizer.fit(AnalyzerSpec.parse("whitespace"), text, 1, 0);
        assertEquals(text, tok.decode(tok.encode(text)));
    }
}
