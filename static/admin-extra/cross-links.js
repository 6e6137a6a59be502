// A cross-link chosen in the story's inline takes the chosen story's
// headline as its title, unless the editor typed one. (The server does the
// same for a title left blank: articles.forms.CrossLinkForm.)
//
// The target is a select2 autocomplete, which announces a choice with a
// jQuery "change" event only, so this listens through django.jQuery.

const $ = window.django?.jQuery

if ($) {
  $(document).on("change", "select[name^='outgoing_links-'][name$='-target']", (event) => {
    const select = event.target
    const row = select.closest("tr")
    const title = row?.querySelector("input[name$='-title']")
    const option = select.selectedOptions[0]
    if (!title || !option || !option.value) return
    const headline = option.textContent.trim()
    // Never replace a title the editor typed; do replace one filled in here.
    if (!title.value.trim() || title.value === title.dataset.filledFrom) {
      title.value = headline
      title.dataset.filledFrom = headline
    }
  })
}
