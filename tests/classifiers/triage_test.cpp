// Triage behaviour per language: what a reviewer would expect the labels to say.
#include <catch2/catch.hpp>

#include "classifiers/language/language_detector.h"
#include "classifiers/triage_classifier.h"
#include "core/utf8.h"

using namespace earshot;

namespace {

const TriageClassifier& SharedTriage() {
  static auto c = TriageClassifier::Create();
  REQUIRE(c.ok());
  return **c;
}

Triage Run(const std::string& text, const std::string& lang = "",
           std::optional<double> rating = {}) {
  Mention m;
  m.text = text;
  m.lang = lang;
  m.rating = rating;
  return SharedTriage().Analyse(m, nullptr);
}

double Score(const std::string& text, const std::string& lang) {
  return Run(text, lang).sentiment;
}

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

TEST_CASE("sentiment: polarity and negation in four languages") {
  CHECK(Score("The service was great", "en") > 0.3);
  CHECK(Score("The service was not great", "en") < 0);
  CHECK(Score("Not bad at all", "en") > 0);
  CHECK(Score("Обслуживание отличное", "ru") > 0.3);
  CHECK(Score("Обслуживание не отличное", "ru") < 0);
  CHECK(Score("Obsługa była świetna", "pl") > 0.3);
  CHECK(Score("Obsługa nie była świetna", "pl") < 0);
  CHECK(Score("Der Service war gut", "de") > 0.3);
  CHECK(Score("Der Service war nicht gut", "de") < 0);
  CHECK(Score("Das gefällt mir nicht", "de") < 0);
  CHECK(Score("Das ist kein gutes Angebot", "de") < 0);
}

TEST_CASE("sentiment: intensifiers caps elongation and exclamation strengthen") {
  CHECK(Score("very bad", "en") < Score("bad", "en"));
  CHECK(Score("slightly bad", "en") > Score("bad", "en"));
  CHECK(Score("this is BAD", "en") < Score("this is bad", "en"));
  CHECK(Score("sooo good", "en") > Score("so good", "en") - 0.2);
  CHECK(Score("goood", "en") > 0);
  CHECK(Score("bad!!!", "en") < Score("bad", "en"));
  CHECK(Score("очень плохо", "ru") < Score("плохо", "ru"));
  CHECK(Score("bardzo źle", "pl") < Score("źle", "pl"));
  CHECK(Score("sehr schlecht", "de") < Score("schlecht", "de"));
}

TEST_CASE("sentiment: the clause after but weighs more") {
  CHECK(Score("The food was good but the staff were rude", "en") < 0);
  CHECK(Score("The staff were rude but the food was excellent", "en") > 0);
  CHECK(Score("Еда вкусная, но персонал хамит и грубо отвечает", "ru") < 0);
  CHECK(Score("Jedzenie dobre, ale obsługa fatalna", "pl") < 0);
  CHECK(Score("Das Essen war gut, aber der Service war schrecklich", "de") < 0);
}

TEST_CASE("sentiment: emoji emoticons and Russian brackets") {
  CHECK(Score("new phone 😍", "en") > 0);
  CHECK(Score("new phone 😡", "en") < 0);
  CHECK(Score("delivery again :(", "en") < 0);
  CHECK(Score("пришла посылка)))", "ru") > 0);
  CHECK(Score("опять задержка((", "ru") < 0);
}

TEST_CASE("sentiment: inflected forms match their stems") {
  CHECK(Score("ужасная доставка", "ru") < 0);
  CHECK(Score("ужасного сервиса", "ru") < 0);
  CHECK(Score("rozczarowana zakupem", "pl") < 0);
  CHECK(Score("enttäuschende Erfahrung", "de") < 0);
  CHECK(Score("I was disappointed", "en") < 0);
}

TEST_CASE("sentiment: sarcasm and star ratings") {
  CHECK(Run("Great, another delay", "en").sentiment_label == "negative");
  CHECK(Run("Thanks for nothing", "en").sentiment_label == "negative");
  CHECK(Run("Ну спасибо, опять", "ru").sentiment_label == "negative");
  CHECK(Run("It arrived.", "en", 1.0).sentiment_label == "negative");
  CHECK(Run("It arrived.", "en", 5.0).sentiment_label == "positive");
}

TEST_CASE("sentiment: English phrases take their words") {
  CHECK(Score("It was a waste of money", "en") < -0.3);
  CHECK(Score("Works as advertised", "en") > 0.2);
  CHECK(Score("top-notch service", "en") > 0.3);
  // "not worth" is one negative phrase: "worth" does not also count as praise.
  CHECK(Score("It was not worth the money", "en") < -0.3);
  CHECK(Score("I like it", "en") > 0.3);
  CHECK(Score("I don't like it", "en") < -0.3);
  // "like" as a comparison carries no feeling.
  CHECK(Run("It looks like rain", "en").sentiment_label == "neutral");
}

TEST_CASE("sentiment: English inflections and negating prefixes") {
  CHECK(Score("It worries me", "en") < -0.2);
  CHECK(Score("an uglier case", "en") < -0.2);
  CHECK(Score("the doctors were unhelpful", "en") < -0.2);
  CHECK(Score("what an unenjoyable evening", "en") < -0.2);
  CHECK(Score("hoping for the best", "en") > 0.2);
  // Look-alikes stopped by the lexicon: "later" is not "late", "goods" not "good".
  CHECK(Run("See you later", "en").sentiment_label == "neutral");
  CHECK(Run("The goods arrived", "en").sentiment_label == "neutral");
}

TEST_CASE("sentiment: a conceded clause weighs less than the main one") {
  CHECK(Score("Although the screen is great, the battery died", "en") < 0);
  CHECK(Score("Although the battery died, the screen is great", "en") > 0);
  CHECK(Score("Despite the delays, the crew were wonderful", "en") > 0);
}

TEST_CASE("sentiment: only the failure of what should work counts") {
  CHECK(Score("it doesn't play new movies", "en") < -0.2);
  CHECK(Score("no help from the agent", "en") < -0.2);
  CHECK(Score("don't buy!", "en") < -0.2);
  CHECK(Run("it works with my old charger", "en").sentiment_label == "neutral");
  CHECK(Score("can you help me change my booking", "en") == 0);
  // "not only" does not negate.
  CHECK(Score("Not only does it work, it looks great", "en") > 0.3);
}

TEST_CASE("sentiment: emoticons match whatever their case") {
  CHECK(Score("see you soon :D", "en") > 0.2);
  CHECK(Score("see you soon XD", "en") > 0.2);
}

TEST_CASE("intents: churn threats and their look-alikes") {
  CHECK(Has(Run("I'm cancelling my subscription today", "en").intents, "churn_threat"));
  CHECK(Has(Run("Switching to another provider after this", "en").intents, "churn_threat"));
  CHECK_FALSE(Has(Run("I'm not cancelling, the price is fine", "en").intents, "churn_threat"));
  CHECK_FALSE(Has(Run("Another article about cancel culture", "en").intents, "churn_threat"));
  CHECK(Has(Run("Всё, ухожу к другому оператору", "ru").intents, "churn_threat"));
  CHECK(Has(Run("Rezygnuję z usług", "pl").intents, "churn_threat"));
  CHECK(Has(Run("Ich kündige meinen Vertrag", "de").intents, "churn_threat"));
  CHECK_FALSE(Has(Run("Ich will nicht kündigen", "de").intents, "churn_threat"));
}

TEST_CASE("intents: legal safety refund escalation praise spam and questions") {
  CHECK(Has(Run("My lawyer will contact you", "en").intents, "legal_threat"));
  CHECK_FALSE(Has(Run("My brother is a teacher", "en").intents, "legal_threat"));
  CHECK(Has(Run("Подам в суд на вас", "ru").intents, "legal_threat"));
  CHECK(Has(Run("The charger overheated and caught fire", "en").intents, "safety"));
  CHECK(Has(Run("Telefon przegrzewa się i dymi", "pl").intents, "safety"));
  CHECK(Has(Run("I want my money back", "en").intents, "refund"));
  CHECK(Has(Run("Ich will mein Geld zurück", "de").intents, "refund"));
  CHECK(
      Has(Run("I'm going to post this everywhere on twitter", "en").intents, "public_escalation"));
  CHECK(Has(Run("Thank you for the quick help!", "en").intents, "praise"));
  CHECK_FALSE(Has(Run("Thanks for nothing", "en").intents, "praise"));
  CHECK(Has(Run("Free gift cards, click here!", "en").intents, "spam"));
  CHECK(Has(Run("How do I change my plan?", "en").intents, "question"));
  CHECK(Has(Run("Czy ktoś wie, gdzie jest salon?", "pl").intents, "question"));
}

TEST_CASE("intents: complaints in four languages and not in praise") {
  CHECK(Run("My order never arrived and nobody answers", "en").complaint);
  CHECK(Run("Интернет не работает уже третий день", "ru").complaint);
  CHECK(Run("Paczka nie dotarła, reklamacja bez odpowiedzi", "pl").complaint);
  CHECK(Run("Das Internet funktioniert seit Montag nicht", "de").complaint);
  CHECK_FALSE(Run("Thank you, the support team was wonderful", "en").complaint);
  CHECK_FALSE(Run("What time do you open?", "en").complaint);
}

TEST_CASE("urgency follows intents sentiment and reach") {
  CHECK(Run("The battery swelled and caught fire", "en").urgency == "critical");
  CHECK(Run("I'm cancelling my account", "en").urgency == "high");
  CHECK(Run("Thanks, all good", "en").urgency == "low");
  Mention loud;
  loud.text = "Your service is slow";
  loud.lang = "en";
  loud.author.followers = 50'000;
  CHECK(SharedTriage().Analyse(loud, nullptr).urgency == "high");
}

TEST_CASE("topics and custom topics") {
  auto t = Run("The courier lost my package and the app keeps crashing", "en");
  CHECK(Has(t.topics, "delivery"));
  CHECK(Has(t.topics, "app_website"));
  auto custom = TriageClassifier::Create({{{"roaming", {"\\broaming\\b", "роуминг"}}}, {}});
  REQUIRE(custom.ok());
  Mention m;
  m.text = "Роуминг опять не работает";
  CHECK(Has((*custom)->Analyse(m, nullptr).topics, "roaming"));
}

TEST_CASE("language detection works on short texts") {
  CHECK(DetectLanguage("Не работает").lang == "ru");
  CHECK(DetectLanguage("Nie działa internet").lang == "pl");
  CHECK(DetectLanguage("Das ist nicht gut").lang == "de");
  CHECK(DetectLanguage("This is not working").lang == "en");
  CHECK(DetectLanguage("Привіт, як справи? Їжак").lang == "other");
  CHECK(Run("Ich bin sehr enttäuscht").lang == "de");
}

TEST_CASE("evidence spans sit on UTF-8 boundaries and point at the words") {
  Mention m;
  m.text = "Żądam zwrotu pieniędzy, obsługa była fatalna 😡";
  m.lang = "pl";
  std::vector<Label> labels;
  SharedTriage().Analyse(m, &labels);
  REQUIRE_FALSE(labels.empty());
  bool saw_fatal = false;
  for (const auto& l : labels) {
    for (const auto& e : l.evidence) {
      if (e.span.end == 0) continue;
      REQUIRE(e.span.end <= m.text.size());
      std::string_view piece(m.text.data() + e.span.begin, e.span.end - e.span.begin);
      CHECK(IsValidUtf8(piece));
      saw_fatal |= piece == "fatalna";
    }
  }
  CHECK(saw_fatal);
}

TEST_CASE("invalid UTF-8 and huge texts are handled") {
  auto broken = Run("caf\xC3 \xFF\xFE terrible \x80 service", "en");
  CHECK(broken.sentiment < 0);
  std::string huge;
  for (int i = 0; i < 200'000; ++i)
    huge += "awful ";
  auto big = Run(huge, "en");
  CHECK(big.sentiment < -0.9);
  CHECK(Run("", "").sentiment_label == "neutral");
}

TEST_CASE("sentiment: hedged wishes and least") {
  CHECK(Score("The food could be better", "en") < -0.2);
  CHECK(Score("The seats could have been better", "en") < -0.2);
  CHECK(Score("It could have been worse", "en") > 0);
  CHECK(Score("This is my least favorite airline", "en") < -0.2);
  // "at least" concedes a floor and negates nothing.
  CHECK(Score("At least the crew was nice", "en") > 0.2);
}

TEST_CASE("sentiment: handles and links are not the writer's words") {
  CHECK(Run("@awesome what time do you open", "en").sentiment_label == "neutral");
  CHECK(Run("details at https://example.com/awesome-deals", "en").sentiment_label == "neutral");
  CHECK(Run("see www.awesome.example", "en").sentiment_label == "neutral");
  // A truncated link's "https:/" is no frown.
  CHECK(Score("news from the station https:/", "en") == 0);
  CHECK(Score("@airline the crew was wonderful", "en") > 0.2);
}

TEST_CASE("sentiment: yet turns a clause only where one starts") {
  // "so far": the praise before it is not discounted.
  CHECK(Score("The best phone I have owned yet, awful case though", "en") > -0.5);
  CHECK(Score("Not great yet", "en") < 0);
  CHECK(Score("It is small, yet powerful", "en") > 0.2);
  CHECK(Score("It looks cheap and yet it works beautifully", "en") > 0.2);
}

TEST_CASE("sentiment: praise in a question is asked, not given") {
  CHECK(Score("What is your favorite song?", "en") == 0);
  CHECK(Score("Are you doing anything fun this weekend?", "en") == 0);
  // Only the sentence that ends with '?' is asked; trouble in a question still counts.
  CHECK(Score("Great service. Will you fly there again?", "en") > 0.3);
  CHECK(Score("Why is my flight delayed again?", "en") < 0);
  CHECK(Score("Is this really the best you can do?", "en") <= 0);
  // A '?' inside a link is not a question.
  CHECK(Score("Great read http://example.com/a?b=1", "en") > 0.3);
  // Other languages are untouched.
  CHECK(Score("Это лучший подарок?", "ru") > 0);
}

TEST_CASE("sentiment: praise words in names are not the writer's") {
  // A capitalised word inside a sentence names something.
  CHECK(Score("Just landed at Love Field in Dallas", "en") == 0);
  CHECK(Score("Americans choose gold as the Best Long-Term Investment", "en") == 0);
  // At a sentence start, after a handle or a hashtag, it is the writer's word.
  CHECK(Score("Best flight ever. Great crew", "en") > 0.3);
  CHECK(Score("@united Thanks for the help", "en") > 0.3);
  // Capitalised complaints are emphasis, not names.
  CHECK(Score("My flight was Cancelled again", "en") < 0);
  // A phrase the lexicon knows is the writer's, capitalised or not.
  CHECK(Score("Wishing you a Happy Birthday", "en") > 0.3);
  // Written In Title Case (a review's title), capitals mark nothing; a linked headline is
  // still a headline.
  CHECK(Score("Really Great Service And Friendly Staff", "en") > 0.3);
  CHECK(Score("Americans Choose Gold As The Best Investment http://example.com/gold", "en") == 0);
}

TEST_CASE("sentiment: a mild word beside a link describes the linked page") {
  CHECK(Score("Simple banana muffins http://example.com/muffins", "en") == 0);
  CHECK(Score("The decline of print www.example.com", "en") == 0);
  // Clear praise or blame still counts, and so does a mild word without a link.
  CHECK(Score("Loved this, what a great read http://example.com", "en") > 0.3);
  CHECK(Score("Simple banana muffins", "en") > 0);
}

TEST_CASE("sentiment: too much of something is a complaint") {
  CHECK(Score("The movie is too long", "en") < 0);
  CHECK(Score("way too much noise in the cabin", "en") < 0);
  // "not too long" is mild relief; "all too" means "very"; "too" can mean "also".
  CHECK(Score("The wait was not too long", "en") > 0);
  CHECK(Score("It sounds all too familiar", "en") == 0);
  CHECK(Score("Me too and my sister", "en") == 0);
  // Before a polar word it strengthens it, as before.
  CHECK(Score("It was too good", "en") > 0.3);
}

TEST_CASE("sentiment: a lexicon's [excess] words complain of excess in any language") {
  TriageOptions options;
  options.extra_lexicons["de"] = "[excess]\nzu\t0.25\n";
  auto with_excess = TriageClassifier::Create(options);
  REQUIRE(with_excess.ok());
  Mention m;
  m.text = "Die Fahrt war zu lang";
  m.lang = "de";
  CHECK(Score(m.text, "de") == 0);  // the built-in German lexicon has no [excess] words
  CHECK((*with_excess)->Analyse(m, nullptr).sentiment < 0);
}

TEST_CASE("a reused Triage holds only the latest text's labels") {
  auto same = [](const Triage& a, const Triage& b) {
    return a.lang == b.lang && a.lang_confidence == b.lang_confidence &&
           a.sentiment == b.sentiment && a.sentiment_label == b.sentiment_label &&
           a.intents == b.intents && a.topics == b.topics && a.urgency == b.urgency &&
           a.complaint == b.complaint;
  };
  const std::vector<std::pair<std::string, std::string>> texts = {
      {"I'm cancelling my account and calling my lawyer, the delivery was late!", "en"},
      {"Lovely day.", "en"},
      {"Посылка пришла вовремя, спасибо", ""},
      {"Kündige sofort, der Kundenservice ist eine Katastrophe", "de"},
      {"", "pl"}};
  Triage reused;
  for (const auto& [text, lang] : texts) {
    Mention m;
    m.text = text;
    m.lang = lang;
    SharedTriage().Analyse(m, nullptr, &reused);
    CHECK(same(reused, SharedTriage().Analyse(m, nullptr)));
  }
  // The first text had intents and topics; the second has none, so nothing was carried over.
  Mention lovely;
  lovely.text = "Lovely day.";
  lovely.lang = "en";
  SharedTriage().Analyse(lovely, nullptr, &reused);
  CHECK(reused.intents.empty());
  CHECK(reused.topics.empty());
  CHECK(reused.urgency == "low");
}
