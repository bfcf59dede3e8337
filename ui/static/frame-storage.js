// In a third-party frame a browser that blocks third-party cookies (any private window) also refuses the frame's
// localStorage and sessionStorage: reading them throws. NiceGUI's page script reads sessionStorage first thing and
// would stop there, so in that case both become storage in memory, kept as long as the frame is open.
(function () {
  function memory() {
    var items = {};
    return {
      getItem: function (key) { return Object.prototype.hasOwnProperty.call(items, key) ? items[key] : null; },
      setItem: function (key, value) { items[key] = String(value); },
      removeItem: function (key) { delete items[key]; },
      clear: function () { items = {}; }
    };
  }
  ['sessionStorage', 'localStorage'].forEach(function (name) {
    try {
      window[name].getItem('switchboard');
    } catch (e) {
      Object.defineProperty(window, name, {value: memory(), configurable: true});
    }
  });
})();
