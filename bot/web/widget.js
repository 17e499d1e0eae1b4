/*
 * Scope for Growth coach: embeddable web chat widget.
 *
 * Plain JavaScript, no build step. Embed with one tag:
 *   <script src="https://coach.example/webhooks/web/widget.js" defer></script>
 * Optional attributes on that tag:
 *   data-server   origin of the Rasa server (default: this script's own origin)
 *   data-token    signed token minted by the host page's backend for a signed-in user
 *   data-title    panel title (default "Scope for Growth coach")
 *   data-open     "true" opens the panel on load (the demo page uses it)
 *   data-typing-timeout  milliseconds to show the typing indicator without a reply (default 30000)
 *
 * Security rule for this file: message text only ever reaches the page through
 * textContent / createElement. Never innerHTML. Links are http(s) only, but for tel:/sms: on the coach's phone numbers.
 */
(() => {
  "use strict";

  // One widget per page, even if the tag is pasted twice.
  if (window.sfgCoachWidget) return;

  const STORAGE_KEY = "sfg-coach-session";
  const TRANSCRIPT_PREFIX = "sfg-coach-transcript:";
  const MAX_CHARS = 5000;
  const COUNTER_FROM = 4000;
  const MAX_TRANSCRIPT = 300;
  // Someone whose last message is older than this is welcomed back when they return.
  const WELCOME_BACK_AFTER_MS = 30 * 60 * 1000;

  const TEXT = {
    title: "Scope for Growth coach",
    launcher: "Chat with the coach",
    privacy: "Your journal is yours. Nothing is shared without your say-so.",
    logLabel: "Conversation with the coach",
    inputLabel: "Message to the coach",
    placeholder: "Type your message…",
    send: "Send",
    close: "Close the coach chat",
    clear: "Clear this chat from this device and start again",
    keysHelp: "Press Enter to send, Shift+Enter for a new line.",
    you: "You: ",
    coach: "Coach: ",
    choices: "Suggested replies",
    typing: "The coach is typing",
    unreachable: "I can't reach the coach right now. Please check your connection, or try again in a few minutes.",
    retry: "Try again",
    reconnecting: "Connection lost. Trying to reconnect…",
    slow: "The coach is taking longer than usual to reply. You can wait, or try sending your message again.",
    empty: "Type a message first, then press Send.",
    tooLong: "That's longer than I can take in one message (5,000 characters at most). " +
      "Could you shorten it, or split it into two messages?",
    cleared: "This chat has been cleared from this device.",
    forgotten: "Your data has been deleted, and this chat has been cleared from this device too.",
    download: "Download: ",
    openLink: "Open link: ",
  };

  const script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  if (!script) return;
  const scriptUrl = new URL(script.src, window.location.href);
  const data = script.dataset;
  const config = {
    base: new URL(".", scriptUrl).href,
    server: data.server || scriptUrl.origin,
    token: data.token || "",
    title: data.title || TEXT.title,
    open: data.open === "true",
    typingTimeoutMs: Number(data.typingTimeout) > 0 ? Number(data.typingTimeout) : 30000,
  };
  const signedIn = config.token !== "";

  // ---------------------------------------------------------------- storage
  // localStorage can throw (privacy modes, blocked storage); the chat still works without it.

  function readJson(key) {
    try {
      const raw = window.localStorage.getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch (_err) {
      return null;
    }
  }

  function writeJson(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (_err) {
      /* storage full or blocked: history is a convenience, not a requirement */
    }
  }

  function removeKey(key) {
    try {
      window.localStorage.removeItem(key);
    } catch (_err) {
      /* ignore */
    }
  }

  function readStoredSession() {
    const stored = readJson(STORAGE_KEY);
    if (!stored || typeof stored !== "object") return null;
    if (typeof stored.session_id !== "string" || !stored.session_id) return null;
    return stored;
  }

  function readTranscript(sessionId) {
    const list = sessionId ? readJson(TRANSCRIPT_PREFIX + sessionId) : null;
    return Array.isArray(list) ? list.filter(isValidEntry) : [];
  }

  function isValidEntry(entry) {
    return entry && (entry.from === "user" || entry.from === "bot") &&
      (typeof entry.text === "string" || entry.attachment || entry.choices);
  }

  // Removes every stored transcript, so a new session never leaves old journal text behind.
  function forgetTranscripts() {
    try {
      const doomed = [];
      for (let i = 0; i < window.localStorage.length; i += 1) {
        const key = window.localStorage.key(i);
        if (key && key.indexOf(TRANSCRIPT_PREFIX) === 0) doomed.push(key);
      }
      doomed.forEach(removeKey);
    } catch (_err) {
      /* ignore */
    }
  }

  // ---------------------------------------------------------------- DOM helpers

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([name, value]) => {
      if (value === false || value === null || value === undefined) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach((child) => node.appendChild(child));
    return node;
  }

  // A speech-bubble icon drawn with SVG (emoji fonts are missing on many work PCs).
  function chatIcon() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "22");
    svg.setAttribute("height", "22");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "sfg-coach-launcher-icon");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z" +
      "M7 8.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 " +
      "1.5 1.5 0 0 0 0-3z");
    path.setAttribute("fill-rule", "evenodd");
    svg.appendChild(path);
    return svg;
  }

  let idCounter = 0;
  function uid(prefix) {
    idCounter += 1;
    return "sfg-coach-" + prefix + "-" + idCounter;
  }

  /** Returns an absolute http(s) URL, or null for anything else (javascript:, data:, ...). */
  function safeHref(raw) {
    if (typeof raw !== "string" || !raw.trim()) return null;
    try {
      const url = new URL(raw.trim(), config.server);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (_err) {
      return null;
    }
  }

  function makeLink(href, label) {
    return el("a", { href, target: "_blank", rel: "noopener noreferrer", text: label });
  }

  // Markdown-style [label](url) links and bare http(s) URLs become links; everything else stays text.
  // One level of parentheses is allowed inside a link target, e.g. .../Scope_(guide).
  const LINK_PATTERN = /\[([^\]\n]{1,300})\]\(((?:[^()\s]|\([^()\s]*\)){1,2000})\)|(https?:\/\/[^\s<>"]+)/g;

  // Phone numbers in the coach's own phrasings ("call 999", "call NHS 111", "on 116 123", "text SHOUT to 85258")
  // become tel: and sms: links that a phone can dial. Nothing else does: "band 5", "in 2025" or "on 100 patients"
  // stay text. The link covers the number alone.
  const PHONE_PATTERN = /\bcall (?:NHS )?(\d{3,5}(?: \d{2,4}){0,3})\b|\bon (\d{3,5}(?: \d{2,4}){1,3})\b|\btext ([A-Z]{2,12}) to (\d{5,6})\b/g;

  function appendPhoneLinks(container, text) {
    let last = 0;
    let match;
    PHONE_PATTERN.lastIndex = 0;
    while ((match = PHONE_PATTERN.exec(text)) !== null) {
      const number = match[1] || match[2] || match[4];
      const digits = number.replace(/ /g, "");
      const href = match[3] ? "sms:" + digits + "?body=" + match[3] : "tel:" + digits;
      const start = match.index + match[0].length - number.length;
      container.appendChild(document.createTextNode(text.slice(last, start)));
      container.appendChild(el("a", { href, text: number }));
      last = start + number.length;
    }
    container.appendChild(document.createTextNode(text.slice(last)));
  }

  function appendRichText(container, text) {
    let last = 0;
    let match;
    LINK_PATTERN.lastIndex = 0;
    while ((match = LINK_PATTERN.exec(text)) !== null) {
      let whole = match[0];
      let trailing = "";
      if (match[3]) {
        // A sentence's closing punctuation belongs to the sentence, not the URL.
        const cut = whole.match(/[.,;:!?)\]]+$/);
        if (cut) {
          trailing = cut[0];
          whole = whole.slice(0, -trailing.length);
        }
      }
      appendPhoneLinks(container, text.slice(last, match.index));
      if (match[1]) {
        const href = safeHref(match[2]);
        container.appendChild(href ? makeLink(href, match[1]) : document.createTextNode(match[1]));
      } else {
        const href = safeHref(whole);
        container.appendChild(href ? makeLink(href, whole) : document.createTextNode(whole));
      }
      if (trailing) container.appendChild(document.createTextNode(trailing));
      last = match.index + match[0].length;
    }
    appendPhoneLinks(container, text.slice(last));
  }

  function charCount(text) {
    return Array.from(text).length;
  }

  function formatNumber(n) {
    return n.toLocaleString("en-GB");
  }

  // ---------------------------------------------------------------- UI

  const ids = {
    panel: uid("panel"),
    title: uid("title"),
    privacy: uid("privacy"),
    input: uid("input"),
    meta: uid("meta"),
    hint: uid("hint"),
  };

  const root = el("div", { className: "sfg-coach", "data-sfg-coach": "" });

  const launcher = el("button", {
    type: "button",
    className: "sfg-coach-launcher",
    "aria-controls": ids.panel,
    "aria-expanded": "false",
  }, [
    chatIcon(),
    el("span", { text: TEXT.launcher }),
  ]);

  const clearButton = el("button", {
    type: "button",
    className: "sfg-coach-header-button",
    "aria-label": TEXT.clear,
    title: TEXT.clear,
    text: "Clear",
  });
  const closeButton = el("button", {
    type: "button",
    className: "sfg-coach-header-button sfg-coach-close",
    "aria-label": TEXT.close,
    title: TEXT.close,
  }, [el("span", { "aria-hidden": "true", text: "×" })]);

  const header = el("div", { className: "sfg-coach-header" }, [
    el("h2", { id: ids.title, className: "sfg-coach-title", text: config.title }),
    clearButton,
    closeButton,
  ]);

  const privacy = el("p", { id: ids.privacy, className: "sfg-coach-privacy", text: TEXT.privacy });

  const log = el("div", {
    className: "sfg-coach-log",
    role: "log",
    "aria-live": "polite",
    "aria-label": TEXT.logLabel,
    tabindex: "0",
  });

  const typing = el("div", { className: "sfg-coach-typing", hidden: true }, [
    el("span", { className: "sfg-coach-dot", "aria-hidden": "true" }),
    el("span", { className: "sfg-coach-dot", "aria-hidden": "true" }),
    el("span", { className: "sfg-coach-dot", "aria-hidden": "true" }),
    el("span", { className: "sfg-visually-hidden", text: TEXT.typing }),
  ]);

  const statusText = el("span", { className: "sfg-coach-status-text" });
  const retryButton = el("button", { type: "button", className: "sfg-coach-retry", hidden: true, text: TEXT.retry });
  const status = el("div", { className: "sfg-coach-status", role: "status", hidden: true }, [statusText, retryButton]);

  const input = el("textarea", {
    id: ids.input,
    className: "sfg-coach-input",
    rows: "1",
    autocomplete: "off",
    spellcheck: "true",
    placeholder: TEXT.placeholder,
    "aria-describedby": ids.meta + " " + ids.hint,
  });
  const sendButton = el("button", { type: "submit", className: "sfg-coach-send", text: TEXT.send });
  const meta = el("p", { id: ids.meta, className: "sfg-coach-meta", text: TEXT.keysHelp });
  const hint = el("p", { id: ids.hint, className: "sfg-coach-hint", "aria-live": "polite" });

  const form = el("form", { className: "sfg-coach-form", novalidate: true }, [
    el("label", { for: ids.input, className: "sfg-visually-hidden", text: TEXT.inputLabel }),
    input,
    sendButton,
    meta,
    hint,
  ]);

  const panel = el("section", {
    id: ids.panel,
    className: "sfg-coach-panel",
    "aria-labelledby": ids.title,
    hidden: true,
  }, [header, privacy, log, typing, status, form]);

  root.appendChild(launcher);
  root.appendChild(panel);

  // ---------------------------------------------------------------- state

  let session = null; // {session_id, token}
  let socket = null;
  let confirmed = false;
  let historyShown = false;
  let transcript = [];
  let historyLength = 0; // how many transcript entries came from storage rather than this page
  let outbox = [];
  let typingTimer = null;
  let starting = false;
  let noticeAfterConnect = ""; // shown once the session is confirmed (e.g. "chat cleared")
  let greeting = null; // the coach's greeting for a new session, shown once it is confirmed
  let welcomeBack = null; // its words for a returning visitor, shown after a while away

  function prefersReducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function scrollToEnd() {
    log.scrollTo({ top: log.scrollHeight, behavior: prefersReducedMotion() ? "auto" : "smooth" });
  }

  // Straight to the latest message (history shown, panel opened). Again once the stylesheet has loaded: before
  // it, the log is not yet a scrolling box, and a reload opened at the top of a long history.
  function jumpToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function setStatus(message, { retry = false, kind = "info" } = {}) {
    if (!message) {
      status.hidden = true;
      statusText.textContent = "";
      retryButton.hidden = true;
      return;
    }
    status.hidden = false;
    status.dataset.kind = kind;
    statusText.textContent = message;
    retryButton.hidden = !retry;
  }

  function setHint(message) {
    hint.textContent = message || "";
  }

  function removeChoices() {
    const hadFocus = log.contains(document.activeElement) &&
      document.activeElement.classList.contains("sfg-coach-choice");
    log.querySelectorAll(".sfg-coach-choices").forEach((group) => group.remove());
    if (hadFocus) input.focus();
  }

  function renderChoices(choices) {
    const group = el("div", { className: "sfg-coach-choices", role: "group", "aria-label": TEXT.choices });
    choices.forEach((choice) => {
      const button = el("button", { type: "button", className: "sfg-coach-choice", text: choice.title });
      button.addEventListener("click", () => {
        // Disable at once so a double click cannot send twice; the group goes when the message is sent.
        group.querySelectorAll("button").forEach((b) => { b.disabled = true; });
        sendMessage(choice.payload, choice.title);
        input.focus();
      });
      group.appendChild(button);
    });
    log.appendChild(group);
  }

  function renderAttachment(bubble, attachment) {
    const href = safeHref(attachment.src);
    if (!href) return;
    const label = attachment.title || attachment.src;
    const prefix = attachment.type === "file" ? TEXT.download : TEXT.openLink;
    const link = makeLink(href, prefix + label);
    if (attachment.type === "file") link.setAttribute("download", "");
    link.className = "sfg-coach-attachment";
    if (bubble.childNodes.length > 1) bubble.appendChild(el("br"));
    bubble.appendChild(link);
  }

  function renderEntry(entry, withChoices) {
    const fromUser = entry.from === "user";
    const bubble = el("div", { className: "sfg-coach-msg " + (fromUser ? "sfg-coach-msg--user" : "sfg-coach-msg--bot") }, [
      el("span", { className: "sfg-visually-hidden", text: fromUser ? TEXT.you : TEXT.coach }),
    ]);
    if (typeof entry.text === "string" && entry.text) {
      // Users' own words are shown exactly as typed; only the coach's text gets links.
      if (fromUser) bubble.appendChild(document.createTextNode(entry.text));
      else appendRichText(bubble, entry.text);
    }
    if (entry.attachment) renderAttachment(bubble, entry.attachment);
    if (bubble.childNodes.length > 1) log.appendChild(bubble);
    if (withChoices && Array.isArray(entry.choices) && entry.choices.length) renderChoices(entry.choices);
    return bubble;
  }

  // The first bubble of the coach's reply to the person's last message: a long reply is read from its start.
  let replyStart = null;

  function addEntry(entry) {
    entry.at = Date.now();
    transcript.push(entry);
    if (transcript.length > MAX_TRANSCRIPT) transcript = transcript.slice(-MAX_TRANSCRIPT);
    persistTranscript();
    const bubble = renderEntry(entry, true);
    if (entry.from === "user") replyStart = null;
    else if (!replyStart && bubble.isConnected) replyStart = bubble;
    showLatest();
  }

  // Scrolls to the latest message, but never past the start of the coach's reply: when a reply is taller than
  // the panel, its first words (often the question) stay in view and the rest is a scroll away.
  function showLatest() {
    const end = log.scrollHeight - log.clientHeight;
    const start = replyStart ? replyStart.offsetTop - log.offsetTop - 8 : end;
    log.scrollTo({ top: Math.min(end, start), behavior: prefersReducedMotion() ? "auto" : "smooth" });
  }

  // Until the stored history has been merged in (showHistory), new entries live in memory only.
  function persistTranscript() {
    if (historyShown && session && session.session_id) writeJson(TRANSCRIPT_PREFIX + session.session_id, transcript);
  }

  // Suggested replies stay usable until the user next says something, as they do live.
  function rerender() {
    log.replaceChildren();
    let lastUser = -1;
    transcript.forEach((entry, index) => {
      if (entry.from === "user") lastUser = index;
    });
    transcript.forEach((entry, index) => renderEntry(entry, index > lastUser));
    jumpToEnd();
  }

  // Puts the stored conversation before anything typed since the page loaded.
  function showHistory(sessionId) {
    historyShown = true;
    const stored = readTranscript(sessionId);
    transcript = stored.concat(transcript.slice(historyLength));
    historyLength = stored.length;
    rerender();
    persistTranscript();
  }

  function clearLog() {
    log.replaceChildren();
    transcript = [];
    historyLength = 0;
  }

  function showTyping() {
    typing.hidden = false;
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(() => {
      typing.hidden = true;
      setStatus(TEXT.slow);
    }, config.typingTimeoutMs);
    scrollToEnd();
  }

  function hideTyping() {
    window.clearTimeout(typingTimer);
    typing.hidden = true;
  }

  // ---------------------------------------------------------------- panel

  // On a phone the open panel covers the whole page (widget.css). What is behind it is made inert while it
  // does, so focus, the keyboard and screen readers never land on something hidden behind the chat.
  const COVERS_PAGE = "(max-width: 480px)";
  let madeInert = [];

  function releasePage() {
    madeInert.forEach((node) => { node.inert = false; });
    madeInert = [];
  }

  function holdPageBehind() {
    releasePage();
    if (panel.hidden || !window.matchMedia || !window.matchMedia(COVERS_PAGE).matches) return;
    madeInert = Array.from(document.body.children).filter((node) => node !== root && !node.inert);
    madeInert.forEach((node) => { node.inert = true; });
  }

  // While the panel covers the page, Tab goes round the chat rather than out of it to nothing.
  function keepTabInPanel(event) {
    if (event.key !== "Tab" || !madeInert.length) return;
    const focusable = Array.from(panel.querySelectorAll("button, textarea, input, a[href], [tabindex='0']"))
      .filter((node) => !node.disabled && node.offsetParent !== null);
    if (!focusable.length) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  function openPanel({ focus = true } = {}) {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    root.classList.add("sfg-coach--open");
    holdPageBehind();
    jumpToEnd();
    if (focus) input.focus();
  }

  function closePanel() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    root.classList.remove("sfg-coach--open");
    releasePage();
    launcher.focus();
  }

  // ---------------------------------------------------------------- messages out

  function flushOutbox() {
    if (!socket || !confirmed || !session) return;
    if (!outbox.length) return;
    while (outbox.length) {
      const message = outbox.shift();
      socket.emit("user_uttered", { message, session_id: session.session_id });
    }
    // Only a message that has really gone out can be "being answered".
    showTyping();
  }

  /** Sends `payload` to the coach and shows `shown` as the user's bubble (they differ for buttons). */
  function sendMessage(payload, shown) {
    setHint("");
    removeChoices();
    addEntry({ from: "user", text: shown });
    outbox.push(payload);
    flushOutbox();
  }

  function updateCounter() {
    const count = charCount(input.value.trim());
    const over = count > MAX_CHARS;
    if (count >= COUNTER_FROM) {
      meta.textContent = formatNumber(count) + " of " + formatNumber(MAX_CHARS) + " characters";
    } else {
      meta.textContent = TEXT.keysHelp;
    }
    meta.classList.toggle("sfg-coach-meta--over", over);
    if (over) {
      input.setAttribute("aria-invalid", "true");
      if (hint.textContent !== TEXT.tooLong) setHint(TEXT.tooLong);
    } else {
      input.removeAttribute("aria-invalid");
      if (hint.textContent === TEXT.tooLong) setHint("");
    }
  }

  function autoGrow() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 4, 160) + "px";
  }

  function submit() {
    const text = input.value.trim();
    if (!text) {
      setHint(TEXT.empty);
      input.focus();
      return;
    }
    if (charCount(text) > MAX_CHARS) {
      setHint(TEXT.tooLong);
      input.focus();
      return;
    }
    input.value = "";
    updateCounter();
    autoGrow();
    sendMessage(text, text);
    input.focus();
  }

  // ---------------------------------------------------------------- messages in

  function asChoices(list) {
    if (!Array.isArray(list)) return [];
    return list
      .filter((item) => item && typeof item.title === "string" && item.title)
      .map((item) => ({
        title: item.title,
        payload: typeof item.payload === "string" && item.payload ? item.payload : item.title,
      }));
  }

  function asAttachment(raw) {
    if (!raw || typeof raw !== "object") return null;
    const payload = raw.payload && typeof raw.payload === "object" ? raw.payload : {};
    const src = typeof payload.src === "string" ? payload.src : typeof payload.url === "string" ? payload.url : "";
    if (!src) return null;
    return {
      type: typeof raw.type === "string" ? raw.type : "link",
      src,
      title: typeof payload.title === "string" ? payload.title : "",
    };
  }

  function onBotUttered(message) {
    hideTyping();
    setStatus("");
    if (typeof message === "string") message = { text: message };
    if (!message || typeof message !== "object") return;
    if (message.custom && typeof message.custom === "object" && message.custom.forget_device === true) {
      forgetDevice();
      return;
    }
    const entry = { from: "bot" };
    if (typeof message.text === "string" && message.text) entry.text = message.text;
    const choices = asChoices(message.quick_replies).concat(asChoices(message.buttons));
    if (choices.length) entry.choices = choices;
    const attachment = asAttachment(message.attachment);
    if (attachment) entry.attachment = attachment;
    if (entry.text || entry.choices || entry.attachment) addEntry(entry);
  }

  // ---------------------------------------------------------------- session and socket

  function showUnreachable(offerRetry) {
    hideTyping();
    setStatus(TEXT.unreachable, { retry: offerRetry, kind: "error" });
  }

  function adoptSession(sessionId, token) {
    const previous = readStoredSession();
    session = { session_id: sessionId, token };
    writeJson(STORAGE_KEY, signedIn ? { session_id: sessionId, signed: true } : { session_id: sessionId, token });
    if (!previous || previous.session_id !== sessionId) {
      // A different conversation: do not show (or keep) the previous one's words.
      forgetTranscripts();
      if (historyLength) {
        transcript = transcript.slice(historyLength);
        historyLength = 0;
        rerender();
      }
    }
    persistTranscript();
  }

  async function postSession(body) {
    const response = await fetch(config.base + "session", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
    });
    return response;
  }

  async function obtainAnonymousSession() {
    const stored = readStoredSession();
    const previousToken = stored && !stored.signed && typeof stored.token === "string" ? stored.token : "";
    let response = await postSession(previousToken ? { token: previousToken } : {});
    if (!response.ok && previousToken && response.status >= 400 && response.status < 500) {
      // The old token is no longer accepted (expired or revoked): start a fresh conversation.
      response = await postSession({});
    }
    if (!response.ok) throw new Error("session request failed: " + response.status);
    const body = await response.json();
    if (!body || typeof body.session_id !== "string" || typeof body.token !== "string") {
      throw new Error("session response malformed");
    }
    adoptSession(body.session_id, body.token);
    greeting = body.greeting && typeof body.greeting === "object" ? body.greeting : null;
    welcomeBack = body.welcome_back && typeof body.welcome_back === "object" ? body.welcome_back : null;
  }

  // A chat left for a while gets a welcome back with a way to carry on; a reload a moment later does not.
  function awayLong() {
    const last = transcript.length ? transcript[transcript.length - 1].at : undefined;
    return transcript.length > 0 && (typeof last !== "number" || Date.now() - last > WELCOME_BACK_AFTER_MS);
  }

  const ROUTE = Math.random().toString(36).slice(2, 10);
  let socketIoLoading = null;
  // Loads our own Socket.IO client without clobbering a host page's `io` global.
  function loadSocketIo() {
    if (socketIoLoading) return socketIoLoading;
    socketIoLoading = new Promise((resolve, reject) => {
      const hostIo = window.io;
      const tag = el("script", { src: config.base + "socket.io.min.js", async: true });
      tag.addEventListener("load", () => {
        const ours = window.io;
        if (hostIo !== undefined) window.io = hostIo;
        if (typeof ours === "function") resolve(ours);
        else reject(new Error("socket.io client missing"));
      });
      tag.addEventListener("error", () => {
        socketIoLoading = null;
        reject(new Error("socket.io client failed to load"));
      });
      document.head.appendChild(tag);
    });
    return socketIoLoading;
  }

  function connect(io) {
    socket = io(config.server, {
      path: "/socket.io",
      transports: ["websocket", "polling"],
      auth: { token: session.token },
      // Lets an edge with several coach servers keep this page's connection on one of them.
      query: { route: ROUTE },
    });
    socket.on("connect", () => {
      confirmed = false;
      socket.emit("session_request", { session_id: session.session_id });
    });
    socket.on("session_confirm", (payload) => {
      const id = typeof payload === "string" ? payload : payload && payload.session_id;
      if (typeof id === "string" && id) adoptSession(id, session.token);
      if (!historyShown) showHistory(session.session_id);
      // A new visitor is greeted at once, with the coach's own words and choices (kept with the chat).
      if (greeting && !transcript.length) onBotUttered(greeting);
      else if (welcomeBack && awayLong()) onBotUttered(welcomeBack);
      greeting = null;
      welcomeBack = null;
      confirmed = true;
      setStatus(noticeAfterConnect);
      noticeAfterConnect = "";
      flushOutbox();
    });
    socket.on("bot_uttered", onBotUttered);
    socket.on("connect_error", () => {
      confirmed = false;
      // socket.active is false when the server refused us; then only a fresh start can help.
      showUnreachable(!socket.active);
    });
    socket.on("disconnect", (reason) => {
      confirmed = false;
      if (reason === "io client disconnect") return;
      if (socket.active) setStatus(TEXT.reconnecting);
      else showUnreachable(true);
    });
  }

  async function start() {
    if (starting) return;
    starting = true;
    try {
      if (signedIn) {
        const stored = readStoredSession();
        session = { session_id: stored && stored.signed ? stored.session_id : null, token: config.token };
      } else {
        await obtainAnonymousSession();
        if (!historyShown) showHistory(session.session_id);
      }
      const io = await loadSocketIo();
      connect(io);
    } catch (_err) {
      showUnreachable(true);
    } finally {
      starting = false;
    }
  }

  function stop() {
    if (socket) {
      socket.off();
      socket.disconnect();
      socket = null;
    }
    confirmed = false;
  }

  function restart() {
    stop();
    setStatus("");
    start();
  }

  function clearConversation() {
    stop();
    hideTyping();
    forgetTranscripts();
    removeKey(STORAGE_KEY);
    clearLog();
    outbox = [];
    session = null;
    historyShown = false;
    setHint("");
    noticeAfterConnect = TEXT.cleared;
    setStatus("");
    start();
    input.focus();
  }

  // After "delete my data" the coach's copy is gone, so this device's goes too: every stored transcript and the
  // session. The coach's reply that said so stays on screen (none of the person's words are in it).
  function forgetDevice() {
    const lastUser = transcript.map((entry) => entry.from).lastIndexOf("user");
    const reply = transcript.slice(lastUser + 1);
    forgetTranscripts();
    removeKey(STORAGE_KEY);
    transcript = reply;
    historyLength = 0;
    outbox = [];
    rerender();
    setStatus(TEXT.forgotten);
    historyShown = false; // nothing more is stored for the deleted conversation
    if (signedIn) return; // the host page's token keeps this connection; its next token starts afresh
    // The anonymous token was revoked with the data: start a fresh session, as Clear does.
    stop();
    session = null;
    noticeAfterConnect = TEXT.forgotten;
    start();
  }

  // ---------------------------------------------------------------- wiring

  launcher.addEventListener("click", () => openPanel());
  closeButton.addEventListener("click", closePanel);
  clearButton.addEventListener("click", clearConversation);
  retryButton.addEventListener("click", () => {
    restart();
    input.focus();
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closePanel();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener("input", () => {
    if (hint.textContent === TEXT.empty) setHint("");
    updateCounter();
    autoGrow();
  });

  function mount() {
    const css = el("link", { rel: "stylesheet", href: config.base + "widget.css" });
    css.addEventListener("load", jumpToEnd);
    document.head.appendChild(css);
    document.body.appendChild(root);
    // Anonymous history belongs to this browser, so it can show before the server answers;
    // a signed-in user's history waits for the server to confirm the session is theirs.
    if (!signedIn) {
      const stored = readStoredSession();
      if (stored && !stored.signed) {
        session = { session_id: stored.session_id, token: stored.token };
        showHistory(stored.session_id);
      }
    }
    if (config.open) openPanel({ focus: false });
    if (window.matchMedia) window.matchMedia(COVERS_PAGE).addEventListener("change", holdPageBehind);
    panel.addEventListener("keydown", keepTabInPanel);
    start();
  }

  window.sfgCoachWidget = { open: openPanel, close: closePanel, version: "0.1.0" };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
