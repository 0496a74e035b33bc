// Enhances the desk's forms; every one of them works without this script.
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; });
  }

  function compose(form) {
    var url = form.querySelector("[data-url]");
    var title = form.querySelector("[data-title]");
    var titleStatus = form.querySelector("[data-title-status]");
    var tags = form.querySelector("[data-tags]");
    var suggestions = form.querySelector("[data-tag-suggestions]");
    var offset = form.querySelector("[data-offset]");
    var zone = form.querySelector("[data-zone]");
    var preview = document.querySelector("[data-preview]");
    var previewBody = document.querySelector("[data-preview-body]");

    // The schedule field is read in the author's own time zone.
    offset.value = String(-new Date().getTimezoneOffset());
    if (zone) { zone.textContent = "(your time)"; }

    var lastTitleUrl = null;
    function fetchTitle() {
      var value = url.value.trim();
      if (!value || title.value.trim() || value === lastTitleUrl || !url.checkValidity()) { return; }
      lastTitleUrl = value;
      titleStatus.textContent = "Fetching the page's title…";
      getJson("/desk/api/title?url=" + encodeURIComponent(value)).then(function (answer) {
        if (answer && answer.title && !title.value.trim()) {
          title.value = answer.title;
          titleStatus.textContent = "Title taken from the page.";
        } else {
          titleStatus.textContent = title.value.trim() ? "" : "The page gave no title; type one.";
        }
      });
    }

    var earlierFor = url.value.trim();
    function checkEarlier() {
      var value = url.value.trim();
      if (!value || value === earlierFor || !url.checkValidity()) { return; }
      earlierFor = value;
      getJson("/desk/api/links?url=" + encodeURIComponent(value)).then(function (answer) {
        var old = document.getElementById("earlier");
        if (old) { old.remove(); }
        if (!answer || !answer.posts.length) { return; }
        var section = document.createElement("section");
        section.id = "earlier";
        section.className = "notice";
        section.setAttribute("role", "status");
        var heading = document.createElement("h2");
        heading.textContent = "This link was posted before";
        section.appendChild(heading);
        var list = document.createElement("ul");
        answer.posts.forEach(function (post) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = post.url;
          link.textContent = post.title;
          item.appendChild(link);
          item.appendChild(document.createTextNode(" (" + post.status + ")"));
          list.appendChild(item);
        });
        section.appendChild(list);
        form.parentNode.insertBefore(section, form);
      });
    }

    url.addEventListener("change", function () { fetchTitle(); checkEarlier(); });
    url.addEventListener("blur", fetchTitle);
    fetchTitle();

    tags.addEventListener("input", debounce(function () {
      var parts = tags.value.split(",");
      var typed = parts[parts.length - 1].trim();
      var before = parts.slice(0, -1).map(function (p) { return p.trim(); }).filter(Boolean);
      if (!typed) { suggestions.replaceChildren(); return; }
      getJson("/desk/api/tags?q=" + encodeURIComponent(typed)).then(function (answer) {
        suggestions.replaceChildren();
        (answer ? answer.tags : []).forEach(function (tag) {
          var option = document.createElement("option");
          option.value = before.concat([tag.name]).join(", ");
          option.label = tag.name + " (" + tag.posts + ")";
          suggestions.appendChild(option);
        });
      });
    }, 150));

    var previewButton = form.querySelector("[data-preview-button]");
    previewButton.addEventListener("click", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      data.set("action", "preview");
      fetch("/desk/api/preview", { method: "POST", body: data, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (answer) {
          if (!answer) { form.requestSubmit(previewButton); return; }
          // The server renders and sanitises this HTML exactly as it does for the feeds.
          previewBody.innerHTML = answer.html;
          preview.hidden = false;
          preview.scrollIntoView({ behavior: "smooth", block: "start" });
        });
    });
  }

  function drafts(list) {
    var items = Array.prototype.slice.call(list.querySelectorAll("[data-draft]"));
    var help = document.querySelector("[data-keys-help]");
    var current = -1;
    function select(index) {
      if (!items.length) { return; }
      current = Math.max(0, Math.min(items.length - 1, index));
      items.forEach(function (item, i) { item.classList.toggle("selected", i === current); });
      items[current].focus();
      items[current].scrollIntoView({ block: "nearest" });
    }

    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      if (target.matches("input, textarea, select, [contenteditable]")) {
        if (event.key === "Escape") { target.blur(); if (current >= 0) { items[current].focus(); } }
        return;
      }
      var item = items[current];
      switch (event.key) {
        case "j": select(current + 1); break;
        case "k": select(current - 1); break;
        case "o": if (item) { window.open(item.dataset.open, "_blank", "noopener"); } break;
        case "e": if (item) { location.href = item.dataset.edit; } break;
        case "p":
          if (item) {
            var box = item.querySelector("textarea");
            // The first p puts the cursor in the commentary; Enter with Ctrl (or the button) publishes.
            if (box) { box.focus(); } else { item.querySelector("[data-publish-form]").requestSubmit(); }
          }
          break;
        case "d": if (item) { item.querySelector("[data-publish-form]").requestSubmit(item.querySelector("[data-discard]")); } break;
        case "?": help.hidden = !help.hidden; break;
        default: return;
      }
      event.preventDefault();
    });

    list.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.matches("textarea")) {
        event.preventDefault();
        event.target.form.requestSubmit();
      }
    });

    if (items.length) { select(0); }
  }

  function saved(status) {
    if (status.dataset.close === "true" && window.opener) {
      setTimeout(function () { window.close(); }, 800);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-compose]");
    if (form) { compose(form); }
    var list = document.querySelector("[data-drafts]");
    if (list) { drafts(list); }
    var status = document.querySelector("[data-saved]");
    if (status) { saved(status); }
  });
})();
