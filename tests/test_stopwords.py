"""The language a page's stoplist is chosen by (stopword density is the line model's
strongest feature, so a wrong language misreads every line of the page)."""

from __future__ import annotations

from newstrace.stages.clean.stopwords import Stopwords

STOPWORDS = Stopwords()

# Scores and video menus: words that jusText's Finnish stoplist also holds ("video", "real",
# "street", "your") outnumber English function words, as on a sports results page.
SCORES_PAGE = "\n".join([
    "Video", "Real Madrid 2 Valencia 1", "Watch video", "Wall Street", "Your video",
    "Street view video", "Real time scores", "Video highlights",
    "Real Madrid came from behind to beat Valencia on Sunday, the winner scored in the last "
    "minute of the match.",
])


def test_an_english_page_full_of_menu_words_is_english() -> None:
    assert STOPWORDS.guess(SCORES_PAGE) == "English"


def test_other_languages_get_their_own_stoplist() -> None:
    german = ("Die Digitalisierung zieht sich bereits heute durch fast alle Bereiche der "
              "Wirtschaft, und die Unternehmen müssen sich darauf einstellen.")
    portuguese = ("Nesta página você terá sempre a classificação atualizada do campeonato até "
                  "a última corrida, com todos os resultados da temporada.")
    assert STOPWORDS.guess(german) == "German"
    assert STOPWORDS.guess(portuguese) == "Portuguese"


def test_short_texts_and_languages_without_a_stoplist_take_the_default() -> None:
    assert STOPWORDS.guess("Breaking news") == "English"
    vietnamese = ("Hôm nay trời đẹp, chúng tôi đi dạo trong công viên và nói chuyện với nhiều "
                  "người bạn cũ của mình.")
    assert STOPWORDS.guess(vietnamese) == "English"
