#include "daemon/outreach/opening_lines.h"

#include <map>
#include <utility>

namespace earshot {
namespace {

using Key = std::pair<std::string, std::string>;  // language, topic ("" for any)

// {name} is replaced by the customer's name, or by a greeting without one.
const std::map<Key, std::string>& Lines() {
  static const std::map<Key, std::string> lines = {
      {{"en", "billing"},
       "Hello{name}, I'm calling about the charge on your bill you wrote about. I have your "
       "account open and I'd like to put it right with you now."},
      {{"en", "pricing"},
       "Hello{name}, you wrote about our prices. I'd like to check whether a better plan fits "
       "you, and make sure you pay only for what you use."},
      {{"en", "delivery"},
       "Hello{name}, I saw your order hasn't reached you. I've looked it up and I'd like to tell "
       "you where it is and what we'll do about the delay."},
      {{"en", "product_quality"},
       "Hello{name}, I'm sorry the device let you down. I'd like to hear what happened and "
       "arrange a repair or a replacement today."},
      {{"en", "staff_service"},
       "Hello{name}, I read about your experience with our team and I'm sorry. I'd like to hear "
       "it from you and make sure it's handled properly."},
      {{"en", "account_login"},
       "Hello{name}, I understand you can't get into your account. I can help you back in now, "
       "while we're on the phone."},
      {{"en", "app_website"},
       "Hello{name}, you wrote that our app gave you trouble. I'd like to walk through it with "
       "you and get it working."},
      {{"en", ""},
       "Hello{name}, I'm calling from customer care because we saw your message. I'm sorry for "
       "the trouble, and I'd like to help sort it out now."},
      {{"de", "billing"},
       "Guten Tag{name}, ich rufe wegen der Abrechnung an, über die Sie geschrieben haben. Ich "
       "habe Ihr Konto vor mir und möchte das jetzt mit Ihnen klären."},
      {{"de", "delivery"},
       "Guten Tag{name}, Ihre Lieferung ist noch nicht angekommen. Ich habe nachgesehen und "
       "möchte Ihnen sagen, wo sie ist und was wir tun."},
      {{"de", "product_quality"},
       "Guten Tag{name}, es tut mir leid, dass das Gerät Probleme macht. Ich möchte hören, was "
       "passiert ist, und heute eine Reparatur oder einen Ersatz veranlassen."},
      {{"de", ""},
       "Guten Tag{name}, ich rufe vom Kundenservice an, weil wir Ihre Nachricht gesehen haben. "
       "Es tut mir leid, und ich möchte das jetzt mit Ihnen lösen."},
      {{"pl", "billing"},
       "Dzień dobry{name}, dzwonię w sprawie rachunku, o którym Pan/Pani pisał(a). Mam otwarte "
       "konto i chcę to teraz wyjaśnić."},
      {{"pl", "delivery"},
       "Dzień dobry{name}, widzę, że przesyłka jeszcze nie dotarła. Sprawdziłem/am ją i chcę "
       "powiedzieć, gdzie jest i co zrobimy z opóźnieniem."},
      {{"pl", ""},
       "Dzień dobry{name}, dzwonię z obsługi klienta, bo zobaczyliśmy Pana/Pani wiadomość. "
       "Przepraszam za kłopot i chcę pomóc go rozwiązać."},
      {{"ru", "billing"},
       "Здравствуйте{name}! Звоню по поводу списания, о котором вы писали. Ваш счёт у меня "
       "открыт, давайте разберёмся прямо сейчас."},
      {{"ru", "delivery"},
       "Здравствуйте{name}! Вижу, что заказ до вас ещё не дошёл. Я проверил(а), где он, и "
       "расскажу, что мы сделаем с задержкой."},
      {{"ru", ""},
       "Здравствуйте{name}! Звоню из службы поддержки: мы увидели ваше сообщение. Простите за "
       "неудобства, давайте решим вопрос сейчас."},
  };
  return lines;
}

}  // namespace

std::string SuggestedOpening(const std::string& lang, const std::vector<std::string>& topics,
                             const std::string& name) {
  const auto& lines = Lines();
  std::string language = lines.count({lang, ""}) ? lang : "en";
  std::string line = lines.at({language, ""});
  for (const auto& topic : topics) {
    auto it = lines.find({language, topic});
    if (it != lines.end()) {
      line = it->second;
      break;
    }
  }
  const std::string greeting = name.empty() ? "" : (language == "ru" ? ", " : " ") + name;
  size_t at = line.find("{name}");
  if (at != std::string::npos) line.replace(at, 6, greeting);
  return line;
}

}  // namespace earshot
