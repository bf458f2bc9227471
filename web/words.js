// Every word the class's pages show, in English and Korean. The pages name a word by its key
// (data-word="..."); terms follow the course's glossary and the AWS Korean console.
"use strict";
window.cloudlingsWords = {
  en: {
    joinLead: "Join your class to learn AWS by doing it, in this page.",
    code: "Class code",
    name: "Your name",
    language: "Language",
    join: "Join the class",
    joining: "Joining…",
    joinHint: "Your teacher shows the class code. Everything you do stays in your own practice cloud.",
    noCode: "Type the class code your teacher shows.",
    noName: "Type your name, as the class should see it.",
    longName: "That name is too long: 40 characters at most.",
    plainName: "A name is plain text, without control characters.",
    wrongCode: "That is not this class's code: check it on the projector.",
    tooFast: "Too many wrong codes from here: wait a moment and try again.",
    roomFull: "The room is full: ask your teacher to make room.",
    joinFailed: "The join did not work: try again, or ask your teacher.",
    unreachable: "The class cannot be reached: check the address and your network.",
    account: "Account",
    connecting: "Connecting…",
    connected: "Connected",
    reconnecting: "Reconnecting…",
    tooManyPages: "Your terminal is open in 3 pages already: close one of them, then reload this one.",
    ended: "The shell ended. Press Enter to start it again where you left off.",
  },
  ko: {
    joinLead: "수업에 입장하여 이 페이지에서 직접 해 보며 AWS를 배워 보세요.",
    code: "수업 코드",
    name: "이름",
    language: "언어",
    join: "수업 입장",
    joining: "입장하는 중…",
    joinHint: "수업 코드는 강사가 화면에 보여 줍니다. 여기서 하는 모든 작업은 나만의 실습용 클라우드에서만 이루어집니다.",
    noCode: "강사가 보여 주는 수업 코드를 입력하세요.",
    noName: "수업에서 보일 이름을 입력하세요.",
    longName: "이름이 너무 깁니다. 40자까지 쓸 수 있습니다.",
    plainName: "이름에는 제어 문자를 쓸 수 없습니다.",
    wrongCode: "이 수업의 코드가 아닙니다. 화면의 코드를 다시 확인하세요.",
    tooFast: "이곳에서 잘못된 코드가 너무 많이 입력되었습니다. 잠시 후 다시 시도하세요.",
    roomFull: "수업 정원이 찼습니다. 강사에게 자리를 요청하세요.",
    joinFailed: "입장하지 못했습니다. 다시 시도하거나 강사에게 문의하세요.",
    unreachable: "수업 서버에 연결할 수 없습니다. 주소와 네트워크를 확인하세요.",
    account: "계정",
    connecting: "연결하는 중…",
    connected: "연결됨",
    reconnecting: "다시 연결하는 중…",
    tooManyPages: "터미널이 이미 3개의 페이지에서 열려 있습니다. 하나를 닫은 뒤 이 페이지를 새로 고치세요.",
    ended: "셸이 종료되었습니다. Enter 키를 누르면 하던 곳부터 다시 시작합니다.",
  },
};

// The page's words in `lang`: every element with data-word gets its text.
window.cloudlingsApply = function (lang) {
  const words = window.cloudlingsWords[lang] || window.cloudlingsWords.en;
  document.documentElement.lang = lang;
  for (const element of document.querySelectorAll("[data-word]")) {
    element.textContent = words[element.dataset.word];
  }
  return words;
};
