// Switchboard chat widget loader: runs on the host site, not in the desk's pages. It adds a launcher button that
// opens and closes the chat frame, and keeps the visitor's token in the host page's storage (the frame's own
// storage is partitioned by the host site and may be cleared apart), handing it to the frame on each load.
(function () {
  var script = document.currentScript;
  if (!script || window.switchboardWidget) return;
  var chat = script.src.replace(/\/loader\.js(\?.*)?$/, '');
  var desk = new URL(chat).origin;
  var store = 'switchboard-widget:' + chat;
  var theme = script.getAttribute('data-theme') ||
    (window.matchMedia && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  var russian = (navigator.language || '').toLowerCase().indexOf('ru') === 0;
  var accent = script.getAttribute('data-accent') || '__ACCENT__';  // the widget's colour, filled in when served
  var frame = null;
  var opened = false;
  var button = document.createElement('button');
  var chatIcon = '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" fill="currentColor">' +
    '<path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
  var closeIcon = '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" fill="currentColor">' +
    '<path d="M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z"/></svg>';

  // The host site's signed-in user, if it names one (data-user-id, -name, -email, -hash): handed to the frame after
  // '#', which the browser never sends to a server, so the email stays out of every request line and log.
  function identity() {
    var found = new URLSearchParams();
    ['id', 'name', 'email', 'hash'].forEach(function (name) {
      var value = script.getAttribute('data-user-' + name);
      if (value) found.set('user_' + name, value);
    });
    return found.has('user_id') ? '#' + found.toString() : '';
  }

  function token() {
    try { return localStorage.getItem(store) || ''; } catch (e) { return ''; }
  }

  function show(value) {
    opened = value;
    button.innerHTML = opened ? closeIcon : chatIcon;
    button.setAttribute('aria-expanded', String(opened));
    button.setAttribute('aria-label', opened ? (russian ? 'Закрыть чат' : 'Close chat')
                                             : (russian ? 'Открыть чат' : 'Open chat'));
    if (frame) frame.style.display = opened ? 'block' : 'none';
  }

  function toggle() {
    if (!frame) {
      var query = new URLSearchParams({theme: theme, lang: navigator.language || '', page: location.href,
                                       ref: document.referrer, origin: location.origin, vt: token()});
      frame = document.createElement('iframe');
      frame.src = chat + '?' + query.toString() + identity();
      frame.title = russian ? 'Чат поддержки' : 'Support chat';
      frame.setAttribute('data-switchboard-widget', 'frame');
      frame.style.cssText = 'position:fixed;right:16px;bottom:88px;z-index:2147483647;width:380px;height:560px;' +
        'max-width:calc(100vw - 32px);max-height:calc(100vh - 104px);border:0;border-radius:12px;' +
        'box-shadow:0 8px 32px rgba(0,0,0,.25);background:' + (theme === 'dark' ? '#121212' : '#fff');
      document.body.appendChild(frame);
    }
    show(!opened);
  }

  window.addEventListener('message', function (event) {
    if (event.origin !== desk || !frame || event.source !== frame.contentWindow) return;
    var data = event.data || {};
    if (data.type === 'switchboard-widget-token' && typeof data.token === 'string') {
      try {
        if (data.token) localStorage.setItem(store, data.token);
        else localStorage.removeItem(store);  // signed out inside the widget: the next visit starts afresh
      } catch (e) { /* storage refused: the frame keeps its own */ }
    }
  });

  button.type = 'button';
  button.setAttribute('data-switchboard-widget', 'launcher');
  button.style.cssText = 'position:fixed;right:16px;bottom:16px;z-index:2147483647;width:56px;height:56px;' +
    'border:0;border-radius:50%;cursor:pointer;color:#fff;display:flex;align-items:center;justify-content:center;' +
    'box-shadow:0 4px 16px rgba(0,0,0,.3);background:' + accent;
  button.addEventListener('click', toggle);
  show(false);
  window.switchboardWidget = {toggle: toggle};
  if (document.body) document.body.appendChild(button);
  else document.addEventListener('DOMContentLoaded', function () { document.body.appendChild(button); });
})();
