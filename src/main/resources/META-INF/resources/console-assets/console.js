// A matrix cell saved with htmx that the server refused (the page's token expired: 400; the
// database out: 503) or that never reached it (the sign-in ended and the provider's page is
// elsewhere) must not keep saying "Saved": htmx swaps in only successful answers, so the refusal is
// said here, beside the cell, in words, as the server says a refused value.
(function () {
  "use strict";

  function say(form, text) {
    var message = form.querySelector(".cell-msg");
    if (!message) {
      message = document.createElement("span");
      form.appendChild(message);
    }
    var input = form.querySelector("input[name=limit]");
    message.id = input ? "msg-" + input.id.replace(/^limit-/, "") : "";
    message.className = "cell-msg error-text";
    message.setAttribute("role", "alert");
    message.textContent = text;
    if (input) {
      input.setAttribute("aria-invalid", "true");
      if (message.id) {
        input.setAttribute("aria-describedby", message.id);
      }
    }
  }

  function reason(status) {
    if (status === 503) {
      return "Not saved: the database cannot be reached right now. Try again in a moment.";
    }
    if (status === 400 || status === 401 || status === 403) {
      return "Not saved: this page has expired or your sign-in has ended. Reload the page and try again.";
    }
    if (status === 0) {
      return "Not saved: the console could not be reached, or your sign-in has ended. Reload the page.";
    }
    return "Not saved (" + status + "). Reload the page and try again.";
  }

  document.addEventListener("htmx:responseError", function (event) {
    say(event.detail.elt, reason(event.detail.xhr.status));
  });
  document.addEventListener("htmx:sendError", function (event) {
    say(event.detail.elt, reason(0));
  });
  // a redirect followed to another page (a sign-in page on this host) is no saved cell
  document.addEventListener("htmx:beforeSwap", function (event) {
    var url = event.detail.xhr.responseURL;
    if (url && url.indexOf("/console/catalog/limits/") < 0 && event.detail.elt.matches("form[hx-post]")) {
      event.detail.shouldSwap = false;
      say(event.detail.elt, reason(401));
    }
  });
})();
