/* The story edit page: autosave, "unsaved changes" on return and on leaving,
   and who else has the story open (articles/revisions_admin.py).

   - Every few seconds, if the form changed since the last autosave, the whole
     form (inlines and the rich-text body, which django-prose-editor copies
     into its textarea on every change) is posted to the autosave URL, which
     keeps it as this user's working copy. Autosaves are not revisions.
   - On load, a working copy left from before offers "restore / discard";
     autosave waits for the answer so that it never overwrites that copy.
   - Leaving the page with changes not saved asks first.
   - A heartbeat says this page is open, and shows who else has the story
     open and whether someone saved it since this form was loaded.

   Its words come from the admin's JavaScript catalogue (admin:jsi18n, which
   the edit page loads), in the editor's language. */
"use strict";

(function () {
  const gettext = window.gettext || ((text) => text);
  const interpolate =
    window.interpolate || ((text, values) => text.replace(/%\((\w+)\)s/g, (_, key) => values[key]));
  const format = (text, values) => interpolate(text, values, true);

  const root = document.getElementById("story-editing");
  if (!root) {
    return;
  }
  const form = root.closest("form");
  const csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const autosaveUrl = root.dataset.autosaveUrl;
  const presenceUrl = root.dataset.presenceUrl;
  const heartbeatMs = Number(root.dataset.heartbeat || 20) * 1000;
  const canEdit = root.dataset.canEdit === "1";
  // A restored working copy or a refused save: the form holds unsaved work.
  const unsavedAtLoad = root.dataset.unsaved === "1";
  const restored = root.dataset.restored === "1";
  const AUTOSAVE_EVERY_MS = 5000;

  const banner = root.querySelector(".story-autosave-banner");
  const statusLine = root.querySelector(".story-autosave-status");
  const presenceList = root.querySelector(".story-presence");
  const changedList = root.querySelector(".story-changed");

  function serialise() {
    const data = new FormData(form);
    data.delete("csrfmiddlewaretoken");
    return new URLSearchParams(data).toString();
  }

  let initial = null;
  let lastSaved = null;
  let paused = false;
  let submitting = false;
  let inFlight = null; // the autosave request being answered, if any

  function hasUnsavedChanges() {
    return unsavedAtLoad || (initial !== null && serialise() !== initial);
  }

  function say(text) {
    statusLine.textContent = text;
  }

  function formVersion() {
    const field = form.elements.namedItem("version");
    return field ? field.value : "";
  }

  // --- autosave ---------------------------------------------------------------

  async function autosave() {
    if (!canEdit || paused || submitting || initial === null) {
      return;
    }
    const now = serialise();
    if (now === lastSaved || (!unsavedAtLoad && now === initial && lastSaved === null)) {
      return;
    }
    try {
      inFlight = fetch(autosaveUrl, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
      });
      const response = await inFlight;
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      const answer = await response.json();
      lastSaved = now;
      say(
        format(
          gettext(
            "Changes kept in your working copy at %(time)s; they are not saved until you save the story."
          ),
          { time: answer.working_copy.label }
        )
      );
    } catch (error) {
      say(gettext("Your changes could not be kept in the background: save the story soon."));
    } finally {
      inFlight = null;
    }
  }

  function autosaveOnLeaving() {
    if (!canEdit || paused || submitting || initial === null) {
      return;
    }
    const now = serialise();
    if (now !== lastSaved && (unsavedAtLoad || now !== initial)) {
      navigator.sendBeacon(autosaveUrl, new FormData(form));
    }
  }

  async function offerWorkingCopy() {
    const response = await fetch(autosaveUrl, { credentials: "same-origin" });
    if (!response.ok) {
      return;
    }
    const copy = (await response.json()).working_copy;
    if (!copy) {
      return;
    }
    paused = true;
    const offer = copy.stale
      ? gettext(
          "You have unsaved changes from %(time)s. The story has been saved since you made them. Restore them, or discard them; changes made here are not kept in the background until you choose."
        )
      : gettext(
          "You have unsaved changes from %(time)s. Restore them, or discard them; changes made here are not kept in the background until you choose."
        );
    banner.querySelector(".story-autosave-message").textContent = format(offer, { time: copy.label });
    const restore = banner.querySelector(".story-autosave-restore");
    restore.href = copy.restore_url;
    restore.addEventListener("click", () => {
      submitting = true;
    });
    banner.querySelector(".story-autosave-discard").addEventListener("click", discard);
    banner.hidden = false;
  }

  async function discard() {
    const response = await fetch(autosaveUrl, {
      method: "DELETE",
      headers: { "X-CSRFToken": csrfToken },
      credentials: "same-origin",
    });
    if (response.ok) {
      banner.hidden = true;
      paused = false;
      say(gettext("Discarded your unsaved changes."));
    } else {
      say(gettext("The unsaved changes could not be discarded: try again."));
    }
  }

  // --- presence -----------------------------------------------------------------

  function presenceBody() {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken);
    body.append("version", formVersion());
    body.append("unsaved", hasUnsavedChanges() ? "1" : "0");
    return body;
  }

  function showList(list, items, className) {
    list.replaceChildren(
      ...items.map((text) => {
        const item = document.createElement("li");
        item.className = className;
        item.textContent = text;
        return item;
      })
    );
    list.hidden = items.length === 0;
  }

  async function heartbeat() {
    try {
      const response = await fetch(presenceUrl, {
        method: "POST",
        body: presenceBody(),
        credentials: "same-origin",
      });
      if (!response.ok) {
        return;
      }
      const answer = await response.json();
      showList(
        presenceList,
        answer.others.map((other) =>
          format(
            other.unsaved
              ? gettext("%(name)s has had this story open since %(time)s, with changes not saved yet.")
              : gettext("%(name)s has had this story open since %(time)s."),
            { name: other.name, time: other.since_label }
          )
        ),
        "warning"
      );
      const changes = answer.changes || [];
      showList(
        changedList,
        changes.length
          ? [
              format(
                gettext(
                  "Changed since you opened it: %(changes)s. Saving will show you their changes and keep your text to merge."
                ),
                { changes: changes.join("; ") }
              ),
            ]
          : [],
        "error"
      );
    } catch (error) {
      // The next beat tries again.
    }
  }

  function leave() {
    const body = presenceBody();
    body.append("leave", "1");
    navigator.sendBeacon(presenceUrl, body);
  }

  // --- wiring ---------------------------------------------------------------------

  form.addEventListener("submit", (event) => {
    submitting = true;
    // An autosave answered after the save would bring back the working
    // copy the save removes: let it finish first.
    if (inFlight) {
      const waiting = inFlight;
      const submitter = event.submitter;
      inFlight = null;
      event.preventDefault();
      waiting.finally(() => form.requestSubmit(submitter));
    }
  });
  window.addEventListener("beforeunload", (event) => {
    if (!submitting && hasUnsavedChanges()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  window.addEventListener("pagehide", () => {
    autosaveOnLeaving();
    if (presenceUrl) {
      leave();
    }
  });

  function start() {
    // After the other scripts (select2, the rich-text editor) have set up
    // their fields: what the form holds now is what was loaded.
    initial = serialise();
    lastSaved = restored ? initial : null;
    if (canEdit && !unsavedAtLoad) {
      offerWorkingCopy();
    }
    window.setInterval(autosave, AUTOSAVE_EVERY_MS);
    if (presenceUrl) {
      window.setInterval(heartbeat, heartbeatMs);
    }
  }

  if (document.readyState === "complete") {
    start();
  } else {
    window.addEventListener("load", start);
  }
})();
