// Page script: the rich body editor. On load it replaces every server-rendered story body field
// (`storyEditorField` in src/web/story-editor.ts: a label, a textarea of paragraphs, the blocks as
// JSON in data-blocks) by the editor; the textarea is disabled so the post carries the blocks (the
// hidden field) and not the plain text. Without JavaScript the textarea posts as it is. Pages that
// need the editor API import `mount` from this module.
import type { Block } from '../../model/story.ts';
import { mount, type EditorLabels, type StoryEditor } from './editor/index.ts';

export { mount, type StoryEditor, type EditorLabels };

/** The editors this script mounted, by the id of the field's container, for the page's own code and tests. */
export const editors = new Map<string, StoryEditor>();

function mountField(container: HTMLElement): void {
  const textarea = container.querySelector('textarea');
  const blocks = JSON.parse(container.dataset.blocks || '[]') as Block[];
  const labels = JSON.parse(container.dataset.labels || '{}') as Partial<EditorLabels>;
  const label = container.querySelector('label');
  if (label && !label.id) label.id = `${container.id || 'story-body'}-label`;
  if (textarea) {
    textarea.disabled = true;
    textarea.hidden = true;
  }
  // The visible label named the textarea; it now names the editable area.
  label?.removeAttribute('for');
  const form = container.closest('form');
  const languageField = form?.querySelector<HTMLInputElement | HTMLSelectElement>('[name="language"]');
  const ed = mount(container, {
    blocks,
    language: container.dataset.language || languageField?.value || 'en',
    labels,
    fieldName: container.dataset.field || 'body',
    labelledBy: label?.id,
  });
  // The editing direction follows the story's language as the editor picks it in the form.
  languageField?.addEventListener('change', () => ed.setLanguage(languageField.value || 'en'));
  editors.set(container.id || `story-body-${editors.size + 1}`, ed);
  container.dispatchEvent(new CustomEvent('story-editor:ready', { bubbles: true }));
}

for (const el of document.querySelectorAll<HTMLElement>('[data-story-editor]')) mountField(el);
