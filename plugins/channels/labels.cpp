// Label tables for the languages of the knowledge base.
#include "labels.h"

namespace kb::plugins {
namespace {

constexpr Labels kEnglish = {
    "Read more", "Related", "Steps", "More",
    "I'm not sure I have the right answer.", "Did you mean:",
    "Could you tell me a bit more about your question?", "Talk to an agent",
    "Would you like to talk to one of our team?"};
constexpr Labels kGerman = {
    "Mehr lesen", "Verwandte Themen", "Schritte", "Mehr",
    "Ich bin nicht sicher, ob ich die richtige Antwort habe.", "Meinten Sie:",
    "Können Sie Ihre Frage etwas genauer beschreiben?", "Mit einem Mitarbeiter sprechen",
    "Möchten Sie mit jemandem aus unserem Team sprechen?"};
constexpr Labels kFrench = {
    "En savoir plus", "Articles liés", "Étapes", "Plus",
    "Je ne suis pas sûr d'avoir la bonne réponse.", "Vouliez-vous dire :",
    "Pouvez-vous préciser votre question ?", "Parler à un conseiller",
    "Voulez-vous parler à un membre de notre équipe ?"};
constexpr Labels kSpanish = {
    "Leer más", "Artículos relacionados", "Pasos", "Más",
    "No estoy seguro de tener la respuesta correcta.", "¿Quiso decir:",
    "¿Puede darme más detalles sobre su pregunta?", "Hablar con un agente",
    "¿Quiere hablar con alguien de nuestro equipo?"};
constexpr Labels kJapanese = {
    "詳しく見る", "関連する記事", "手順", "詳細",
    "正しい回答が見つかりませんでした。", "こちらをお探しですか：",
    "ご質問についてもう少し詳しく教えていただけますか？", "担当者と話す",
    "担当者におつなぎしましょうか？"};
constexpr Labels kThai = {
    "อ่านเพิ่มเติม", "บทความที่เกี่ยวข้อง", "ขั้นตอน", "เพิ่มเติม",
    "ฉันไม่แน่ใจว่ามีคำตอบที่ถูกต้อง", "คุณหมายถึง:",
    "ช่วยบอกรายละเอียดเพิ่มเติมเกี่ยวกับคำถามของคุณได้ไหม", "คุยกับเจ้าหน้าที่",
    "ต้องการคุยกับเจ้าหน้าที่ของเราไหม"};

}  // namespace

const Labels& labels_for(std::string_view lang) {
  const std::string_view primary = lang.substr(0, lang.find('-'));
  if (primary == "de") return kGerman;
  if (primary == "fr") return kFrench;
  if (primary == "es") return kSpanish;
  if (primary == "ja") return kJapanese;
  if (primary == "th") return kThai;
  return kEnglish;
}

}  // namespace kb::plugins
