/* Zorgketen portal: warns before the session ends (with a button to extend it) and keeps what the
   user types in forms marked data-concept in sessionStorage, so nothing is lost when the session
   ends: after logging in again the form is filled in as it was. No framework, no build step. */
(function () {
  "use strict";

  var PREFIX = "zk-concept:";

  function velden(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && ["hidden", "file", "password", "submit", "button", "reset"].indexOf(el.type) === -1;
    });
  }

  function bewaar(form) {
    var data = { aantal: form.elements.aantal ? form.elements.aantal.value : "" };
    velden(form).forEach(function (el) {
      data[el.name] = el.type === "checkbox" || el.type === "radio" ? el.checked : el.value;
    });
    try { sessionStorage.setItem(PREFIX + form.dataset.concept, JSON.stringify(data)); } catch (e) { /* storage full or off */ }
  }

  function herstel(form) {
    var data;
    try { data = JSON.parse(sessionStorage.getItem(PREFIX + form.dataset.concept) || "null"); } catch (e) { data = null; }
    if (!data) return;
    var aantal = form.elements.aantal;
    if (aantal && Number(data.aantal) > Number(aantal.value)) {
      // the draft had more rows than this page: ask the server for the form with that many
      var url = new URL(window.location.href);
      url.searchParams.set("aantal", data.aantal);
      if (url.href !== window.location.href) { window.location.replace(url.href); return; }
    }
    var hersteld = false;
    velden(form).forEach(function (el) {
      if (!(el.name in data)) return;
      var waarde = data[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked !== waarde) { el.checked = waarde; hersteld = true; }
      } else if (el.value !== waarde) { el.value = waarde; hersteld = true; }
    });
    var melding = document.getElementById("concept-melding");
    if (hersteld && melding) melding.hidden = false;
  }

  function concepten() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-concept-wis]"), function (el) {
      sessionStorage.removeItem(PREFIX + el.getAttribute("data-concept-wis"));
    });
    Array.prototype.forEach.call(document.querySelectorAll("form[data-concept]"), function (form) {
      herstel(form);
      form.addEventListener("input", function () { bewaar(form); });
      form.addEventListener("change", function () { bewaar(form); });
    });
    var fouten = document.getElementById("fouten");
    if (fouten) fouten.focus();
  }

  function sessie() {
    var body = document.body;
    var einde = Number(body.dataset.sessieEinde || 0);
    if (!einde) return;
    var waarschuwing = Number(body.dataset.sessieWaarschuwing || 300);
    var verschil = Number(body.dataset.sessieNu || 0) - Date.now() / 1000; // server clock minus ours
    var dialoog = document.getElementById("sessie-waarschuwing");
    var rest = document.getElementById("sessie-rest");
    var knop = document.getElementById("sessie-verleng");
    var zichtbaar = false;

    function naarInloggen() {
      Array.prototype.forEach.call(document.querySelectorAll("form[data-concept]"), bewaar);
      window.location.href = "/portal/inloggen?verlopen=1&terug=" + encodeURIComponent(window.location.pathname + window.location.search);
    }

    function tik() {
      var over = einde - (Date.now() / 1000 + verschil);
      if (over <= 0) { naarInloggen(); return; }
      if (over <= waarschuwing) {
        rest.textContent = over >= 90 ? Math.round(over / 60) + " minuten" : Math.ceil(over) + " seconden";
        if (!zichtbaar) { dialoog.hidden = false; zichtbaar = true; knop.focus(); }
      } else if (zichtbaar) {
        dialoog.hidden = true; zichtbaar = false;
      }
    }

    knop.addEventListener("click", function () {
      fetch("/portal/sessie/verleng", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": body.dataset.csrf } })
        .then(function (antwoord) {
          if (antwoord.status === 401) { naarInloggen(); return null; }
          return antwoord.json();
        })
        .then(function (data) {
          if (!data) return;
          einde = data.einde;
          verschil = 0;
          tik();
        });
    });
    tik();
    window.setInterval(tik, 1000);
  }

  document.addEventListener("DOMContentLoaded", function () { concepten(); sessie(); });
})();
