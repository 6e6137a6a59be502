// The story body editor's own tools, as django-prose-editor extensions
// (configured in articles/editor.py, registered in the settings'
// DJANGO_PROSE_EDITOR_EXTENSIONS):
//
// - StoryLink: a toolbar button (and Mod-Shift-K) that finds a story by part
//   of its headline and links the selection, or the headline, to it. The
//   link is stored as "/stories/id/<id>/" (articles/rendering.py), which
//   saving turns into a cross-link.
// - WordCount: a live count of the body's words under the editor.
// - SpellCheck: the browser's spell-checker on, in the story's language, for
//   the body and the headline and standfirst fields.

import { crel, Extension, gettext, Plugin } from "django-prose-editor/editor"

// Plurals and placeholders from the admin's JavaScript catalogue (admin:jsi18n),
// as gettext is, in the editor's language.
const ngettext = window.ngettext || ((one, many, n) => (n === 1 ? one : many))
const interpolate =
  window.interpolate || ((text, values) => text.replace(/%\((\w+)\)s/g, (_, key) => values[key]))

let dialogCount = 0

// --- Link to a story ---------------------------------------------------------

function storyLinkDialog(editor, options) {
  const { from, to, empty } = editor.state.selection
  const selected = empty ? "" : editor.state.doc.textBetween(from, to, " ")
  const id = `story-link-${++dialogCount}`
  const search = crel("input", {
    type: "search",
    id: `${id}-search`,
    autocomplete: "off",
    spellcheck: false,
    size: 50,
    placeholder: gettext("Type part of a headline"),
    role: "combobox",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "aria-controls": `${id}-results`,
  })
  const results = crel("ul", {
    id: `${id}-results`,
    className: "story-link-results",
    role: "listbox",
    "aria-label": gettext("Stories found"),
  })
  const status = crel("p", { className: "story-link-status", role: "status" })
  const text = crel("input", { type: "text", id: `${id}-text`, value: selected, size: 50 })
  const insert = crel("button", { type: "submit", textContent: gettext("Insert link") })
  const cancel = crel("button", { type: "button", textContent: gettext("Cancel") })
  insert.disabled = true
  const form = crel("form", {}, [
    crel("h3", { className: "prose-editor-dialog-title", textContent: gettext("Link to a story") }),
    crel("div", { className: "prose-editor-dialog-field" }, [
      crel("label", { htmlFor: search.id, textContent: gettext("Story") }),
      search,
      results,
      status,
    ]),
    crel("div", { className: "prose-editor-dialog-field" }, [
      crel("label", { htmlFor: text.id, textContent: gettext("Link text") }, [
        crel("span", {
          className: "prose-editor-help",
          textContent: gettext("Left blank, the story's headline."),
        }),
      ]),
      text,
    ]),
    crel("div", { className: "prose-editor-dialog-buttons" }, [insert, cancel]),
  ])
  const dialog = crel("dialog", { className: "prose-editor-dialog story-link-dialog" }, [form])
  editor.view.dom.parentElement.append(dialog)

  let found = []
  let active = -1
  let chosen = null
  let pending = null
  let timer = null

  const show = (stories) => {
    found = stories
    active = stories.length ? 0 : -1
    results.replaceChildren(
      ...stories.map((story, i) =>
        crel(
          "li",
          {
            id: `${id}-option-${i}`,
            className: "story-link-option",
            role: "option",
            "aria-selected": String(i === active),
          },
          [
            crel("span", { className: "story-link-option__headline", textContent: story.headline }),
            crel("span", {
              className: "story-link-option__meta",
              textContent: [story.state, story.date].filter(Boolean).join(" · "),
            }),
          ],
        ),
      ),
    )
    search.setAttribute("aria-expanded", String(stories.length > 0))
    highlight()
  }

  const highlight = () => {
    results.querySelectorAll("[role=option]").forEach((option, i) => {
      option.setAttribute("aria-selected", String(i === active))
      if (i === active) option.scrollIntoView({ block: "nearest" })
    })
    if (active >= 0) search.setAttribute("aria-activedescendant", `${id}-option-${active}`)
    else search.removeAttribute("aria-activedescendant")
  }

  const choose = (story) => {
    chosen = story
    search.value = story.headline
    text.placeholder = story.headline
    status.textContent = interpolate(
      gettext("Links to “%(headline)s” (%(state)s)."),
      { headline: story.headline, state: story.state },
      true
    )
    insert.disabled = false
    show([])
    text.focus()
  }

  const find = async () => {
    const term = search.value.trim()
    chosen = null
    insert.disabled = true
    if (term.length < options.minLength) {
      show([])
      status.textContent = ""
      return
    }
    pending?.abort()
    pending = new AbortController()
    const url = new URL(options.searchUrl, window.location.href)
    url.searchParams.set("term", term)
    if (options.exclude) url.searchParams.set("exclude", options.exclude)
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: pending.signal,
      })
      if (!response.ok) throw new Error(response.statusText)
      const { results: stories } = await response.json()
      show(stories)
      const found = ngettext(
        "%(count)s story found: choose one with the arrow keys and Enter, or click it.",
        "%(count)s stories found: choose one with the arrow keys and Enter, or click it.",
        stories.length
      )
      status.textContent = stories.length
        ? interpolate(found, { count: stories.length }, true)
        : gettext("No story you may see has a headline with these words.")
    } catch (error) {
      if (error.name !== "AbortError") status.textContent = gettext("The search failed; try again.")
    }
  }

  search.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(find, 200)
  })
  search.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!found.length) return
      event.preventDefault()
      const step = event.key === "ArrowDown" ? 1 : -1
      active = (active + step + found.length) % found.length
      highlight()
    } else if (event.key === "Enter" && active >= 0 && found.length) {
      event.preventDefault()
      choose(found[active])
    }
  })
  results.addEventListener("mousedown", (event) => {
    const option = event.target.closest("[role=option]")
    if (!option) return
    event.preventDefault()
    choose(found[[...results.children].indexOf(option)])
  })
  cancel.addEventListener("click", () => dialog.close())
  dialog.addEventListener("close", () => {
    pending?.abort()
    dialog.remove()
    editor.commands.focus()
  })
  form.addEventListener("submit", (event) => {
    event.preventDefault()
    if (!chosen) return
    const words = text.value.trim()
    const chain = editor.chain().focus().setTextSelection({ from, to })
    if (!empty && (!words || words === selected.trim())) {
      // Keep the selection's own formatting: only link it.
      chain.setLink({ href: chosen.href }).run()
    } else {
      chain
        .insertContent({
          type: "text",
          text: words || chosen.headline,
          marks: [{ type: "link", attrs: { href: chosen.href } }],
        })
        // What is typed next is not part of the link.
        .unsetMark("link")
        .run()
    }
    dialog.close()
  })
  dialog.showModal()
  search.focus()
}

export const StoryLink = Extension.create({
  name: "storyLink",

  addOptions() {
    return { searchUrl: "", exclude: null, minLength: 2 }
  },

  addMenuItems({ buttons, menu }) {
    const options = this.options
    menu.defineItem({
      name: "storyLink",
      groups: "link",
      priority: 90,
      command(editor) {
        storyLinkDialog(editor, options)
      },
      enabled(editor) {
        return editor.isEditable
      },
      button: buttons.material("newspaper", gettext("Link to a story (Ctrl+Shift+K)")),
    })
  },

  addKeyboardShortcuts() {
    return {
      "Mod-Shift-k": ({ editor }) => {
        storyLinkDialog(editor, this.options)
        return true
      },
    }
  },
})

// --- Word count --------------------------------------------------------------

const WORD = /[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*/gu
const WORDS_A_MINUTE = 230

export function countWords(text) {
  return (text.match(WORD) || []).length
}

function describe(words) {
  const count = interpolate(
    ngettext("%(count)s word", "%(count)s words", words),
    { count: words.toLocaleString() },
    true
  )
  if (words < WORDS_A_MINUTE) return count
  const minutes = Math.round(words / WORDS_A_MINUTE)
  const reading = interpolate(
    ngettext("about %(count)s minute to read", "about %(count)s minutes to read", minutes),
    { count: minutes },
    true
  )
  return `${count} · ${reading}`
}

export const WordCount = Extension.create({
  name: "wordCount",

  addStorage() {
    return { dom: null, frame: null }
  },

  onCreate() {
    const dom = crel("p", { className: "word-count" })
    // Inside the editor's box, under the text: the row beside it is the label's.
    this.editor.options.element.append(dom)
    this.storage.dom = dom
    this.storage.update = () => {
      const { doc } = this.editor.state
      dom.textContent = describe(countWords(doc.textBetween(0, doc.content.size, " ", " ")))
      this.storage.frame = null
    }
    this.storage.update()
  },

  onUpdate() {
    // At most once a frame, however fast the typing.
    if (this.storage.frame === null && this.storage.update) {
      this.storage.frame = requestAnimationFrame(this.storage.update)
    }
  },

  onDestroy() {
    this.storage.dom?.remove()
  },
})

// --- Spell-checking ----------------------------------------------------------

export const SpellCheck = Extension.create({
  name: "spellCheck",

  addOptions() {
    return { languageField: "id_language", fields: [] }
  },

  addStorage() {
    return { lang: "" }
  },

  addProseMirrorPlugins() {
    const storage = this.storage
    return [
      new Plugin({
        props: {
          attributes: () => ({
            spellcheck: "true",
            ...(storage.lang ? { lang: storage.lang } : {}),
          }),
        },
      }),
    ]
  },

  onCreate() {
    const language = document.getElementById(this.options.languageField)
    const fields = this.options.fields
      .map((name) => document.getElementById(`id_${name}`))
      .filter(Boolean)
    const apply = () => {
      this.storage.lang = language?.value || ""
      for (const field of fields) {
        field.spellcheck = true
        if (this.storage.lang) field.lang = this.storage.lang
      }
      // An empty transaction makes the view read its attributes again.
      this.editor.view.dispatch(this.editor.state.tr)
    }
    apply()
    language?.addEventListener("change", apply)
  },
})
