// "Share a preview" on the story edit page: makes and revokes preview links
// without leaving the page (and so without losing what the form holds).
// Without this script the same forms post and come back. Its words come
// from the admin's JavaScript catalogue (admin:jsi18n), in the editor's language.

const panel = document.getElementById("preview-links")
const gettext = window.gettext || ((text) => text)
const interpolate =
  window.interpolate || ((text, values) => text.replace(/%\((\w+)\)s/g, (_, key) => values[key]))

function csrfToken() {
  return panel.querySelector("input[name=csrfmiddlewaretoken]")?.value || ""
}

async function post(form) {
  const response = await fetch(form.action, {
    method: "POST",
    body: new FormData(form),
    headers: { Accept: "application/json" },
    credentials: "same-origin",
  })
  let data = {}
  try {
    data = await response.json()
  } catch {
    // An error page, not JSON: reported below by status.
  }
  if (!response.ok) {
    const refused = gettext("The server refused (%(status)s). Reload the page and try again.")
    const errors = data.errors || [interpolate(refused, { status: response.status }, true)]
    throw new Error(errors.join(" "))
  }
  return data
}

function cell(text) {
  const td = document.createElement("td")
  td.textContent = text
  return td
}

function revokeForm(action) {
  const form = document.createElement("form")
  form.method = "post"
  form.action = action
  form.dataset.previewLinksRevoke = ""
  const token = document.createElement("input")
  token.type = "hidden"
  token.name = "csrfmiddlewaretoken"
  token.value = csrfToken()
  const button = document.createElement("button")
  button.type = "submit"
  button.className = "button"
  button.textContent = gettext("Revoke")
  form.append(token, button)
  return form
}

function addRow(link) {
  const list = panel.querySelector("[data-preview-links-list]")
  const row = document.createElement("tr")
  row.dataset.previewLink = link.id
  const actions = document.createElement("td")
  actions.append(revokeForm(link.revoke_url))
  row.append(cell(link.note || "—"), cell(link.created_by || "—"), cell(link.expires), cell(gettext("never")), actions)
  list.tBodies[0].prepend(row)
  list.hidden = false
  panel.querySelector("[data-preview-links-none]").hidden = true
}

function showMade(link) {
  const made = panel.querySelector("[data-preview-links-made]")
  const label = document.createElement("label")
  label.textContent = `${gettext("The new link, shown only now:")} `
  const input = document.createElement("input")
  input.type = "text"
  input.readOnly = true
  input.className = "vTextField preview-link-url"
  input.value = link.url
  label.append(input)
  const copy = document.createElement("button")
  copy.type = "button"
  copy.className = "button"
  copy.textContent = gettext("Copy")
  copy.addEventListener("click", async () => {
    input.select()
    try {
      await navigator.clipboard.writeText(link.url)
      copy.textContent = gettext("Copied")
    } catch {
      copy.textContent = gettext("Press Ctrl+C to copy")
    }
  })
  const paragraph = document.createElement("p")
  paragraph.append(label, " ", copy)
  made.replaceChildren(paragraph)
  input.focus()
  input.select()
}

function showError(message) {
  const made = panel.querySelector("[data-preview-links-made]")
  const error = document.createElement("p")
  error.className = "errornote"
  error.textContent = message
  made.replaceChildren(error)
}

if (panel) {
  panel.addEventListener("submit", async (event) => {
    const form = event.target
    const creating = form.matches("[data-preview-links-create]")
    if (!creating && !form.matches("[data-preview-links-revoke]")) return
    event.preventDefault()
    const button = form.querySelector("button[type=submit]")
    button.disabled = true
    try {
      const data = await post(form)
      if (creating) {
        showMade(data)
        addRow(data)
        form.reset()
      } else {
        form.closest("tr").remove()
        const list = panel.querySelector("[data-preview-links-list]")
        if (!list.tBodies[0].rows.length) {
          list.hidden = true
          panel.querySelector("[data-preview-links-none]").hidden = false
        }
        panel.querySelector("[data-preview-links-made]").textContent = gettext(
          "Revoked: that link no longer opens the story."
        )
      }
    } catch (error) {
      showError(error.message)
    } finally {
      button.disabled = false
    }
  })
}
