// The editor's schema: one Tiptap node per node of src/model/body-doc.ts and nothing else. No marks
// (the model's text is plain), no images, tables, code or headings other than the one subheading level,
// so whatever is typed or pasted can only become the model's blocks: ProseMirror's parser keeps only
// what a parse rule below accepts and turns the rest into paragraphs of plain text.
import { Extension, Node } from '@tiptap/core';
import { liftListItem, splitListItem } from '@tiptap/pm/schema-list';
import { Plugin, TextSelection } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { history, redo, undo } from '@tiptap/pm/history';
import { BODY_NODES as N } from '../../../model/body-doc.ts';

// Every block isolates its own direction (dir=auto): a Latin quote in an Arabic story, or an Arabic
// name in a Turkish one, is laid out by its own script, while the editor's base direction (from the
// story's language) places the blocks.
const AUTO = { dir: 'auto' };

const Doc = Node.create({ name: N.doc, topNode: true, content: 'block+' });

const Text = Node.create({ name: N.text, group: 'inline' });

const HardBreak = Node.create({
  name: N.hardBreak,
  group: 'inline',
  inline: true,
  selectable: false,
  parseHTML: () => [{ tag: 'br' }],
  renderHTML: () => ['br'],
  addKeyboardShortcuts() {
    return { 'Shift-Enter': () => this.editor.commands.insertContent({ type: N.hardBreak }) };
  },
});

// The first block type in the schema is what stray inline content is wrapped in: a paragraph.
const Paragraph = Node.create({
  name: N.paragraph,
  priority: 1000,
  group: 'block',
  content: 'inline*',
  marks: '',
  // A pasted table's cells become paragraphs of their own rather than running together.
  parseHTML: () => [{ tag: 'p' }, { tag: 'td' }, { tag: 'th' }],
  renderHTML: () => ['p', AUTO, 0],
});

/** Every heading level pasted from elsewhere is the model's one subheading. */
const Subheading = Node.create({
  name: N.subheading,
  group: 'block',
  content: 'inline*',
  marks: '',
  defining: true,
  parseHTML: () => ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((tag) => ({ tag })),
  renderHTML: () => ['h2', AUTO, 0],
});

/** A quote is its text and its attribution, both always there (an empty attribution means none). */
const Quote = Node.create({
  name: N.quote,
  group: 'block',
  content: `${N.quoteText} ${N.quoteAttribution}`,
  defining: true,
  isolating: true,
  parseHTML: () => [{ tag: 'blockquote' }, { tag: 'q' }],
  renderHTML: () => ['blockquote', AUTO, 0],
  addKeyboardShortcuts() {
    return {
      // Enter in the quote's text goes on to its attribution; in the attribution it leaves the quote.
      Enter: ({ editor }) => {
        const { $from, empty } = editor.state.selection;
        if (!empty) return false;
        if ($from.parent.type.name === N.quoteText) {
          const attributionStart = $from.after() + 1;
          editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, attributionStart)));
          return true;
        }
        if ($from.parent.type.name === N.quoteAttribution) {
          const after = $from.after(-1);
          const tr = editor.state.tr.insert(after, editor.schema.nodes[N.paragraph].create());
          editor.view.dispatch(tr.setSelection(TextSelection.create(tr.doc, after + 1)).scrollIntoView());
          return true;
        }
        return false;
      },
      // Backspace at the start of the attribution goes back to the quote's text; at the start of an
      // empty quote it turns the quote back into a paragraph (the text and attribution nodes never join).
      Backspace: ({ editor }) => {
        const { $from, empty } = editor.state.selection;
        if (!empty || $from.parentOffset > 0) return false;
        if ($from.parent.type.name === N.quoteAttribution) {
          editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, $from.before() - 1)));
          return true;
        }
        if ($from.parent.type.name === N.quoteText && $from.node(-1).textContent === '') {
          const start = $from.before(-1);
          const tr = editor.state.tr.replaceWith(start, $from.after(-1), editor.schema.nodes[N.paragraph].create());
          editor.view.dispatch(tr.setSelection(TextSelection.create(tr.doc, start + 1)));
          return true;
        }
        return false;
      },
    };
  },
});

const QuoteText = Node.create({
  name: N.quoteText,
  content: 'inline*',
  marks: '',
  parseHTML: () => [{ tag: 'p', context: `${N.quote}/`, priority: 60 }],
  renderHTML: () => ['p', 0],
});

const QuoteAttribution = Node.create({
  name: N.quoteAttribution,
  content: 'inline*',
  marks: '',
  parseHTML: () => [{ tag: 'footer' }, { tag: 'cite' }, { tag: 'figcaption' }],
  renderHTML: () => ['footer', { class: 'attribution' }, 0],
});

const list = (name: string, tag: 'ul' | 'ol') =>
  Node.create({
    name,
    group: 'block list',
    content: `${N.listItem}+`,
    // The model's lists have no start number or style: a pasted `<ol start=5 type=a>` is a plain numbered list.
    // A nested list (the model has none) is flattened: its items join the list around it.
    parseHTML: () => [
      { tag: 'ul', context: `${N.listItem}//`, skip: true, priority: 60 },
      { tag: 'ol', context: `${N.listItem}//`, skip: true, priority: 60 },
      { tag },
    ],
    renderHTML: () => [tag, AUTO, 0],
  });

/** A list item holds one paragraph and nothing else: the model's items are single lines of text, not nested. */
const ListItem = Node.create({
  name: N.listItem,
  content: N.paragraph,
  defining: true,
  parseHTML: () => [{ tag: 'li' }],
  renderHTML: () => ['li', 0],
  addKeyboardShortcuts() {
    const item = () => this.editor.schema.nodes[N.listItem];
    return {
      // Enter splits the item; on an empty last item it leaves the list (prosemirror-schema-list's behaviour).
      Enter: ({ editor }) => splitListItem(item())(editor.state, editor.view.dispatch),
      'Shift-Tab': ({ editor }) => liftListItem(item())(editor.state, editor.view.dispatch),
      Backspace: ({ editor }) => {
        const { $from, empty } = editor.state.selection;
        if (!empty || $from.parentOffset > 0 || $from.node(-1).type.name !== N.listItem) return false;
        return liftListItem(item())(editor.state, editor.view.dispatch);
      },
    };
  },
});

/** Undo and redo, and the grey hint in an empty attribution. */
function support(attributionHint: () => string) {
  return Extension.create({
    name: 'newsflowSupport',
    addProseMirrorPlugins() {
      return [
        history(),
        new Plugin({
          props: {
            decorations: (state) => {
              const marks: Decoration[] = [];
              state.doc.descendants((node, pos) => {
                if (node.type.name === N.quoteAttribution && node.content.size === 0) {
                  marks.push(Decoration.node(pos, pos + node.nodeSize, { class: 'is-empty', 'data-hint': attributionHint() }));
                }
                return node.isBlock && node.type.name !== N.paragraph;
              });
              return DecorationSet.create(state.doc, marks);
            },
          },
        }),
      ];
    },
    addKeyboardShortcuts() {
      return {
        'Mod-z': ({ editor }) => undo(editor.state, editor.view.dispatch),
        'Mod-y': ({ editor }) => redo(editor.state, editor.view.dispatch),
        'Shift-Mod-z': ({ editor }) => redo(editor.state, editor.view.dispatch),
      };
    },
  });
}

export function bodyExtensions(attributionHint: () => string) {
  return [
    Doc,
    Text,
    Paragraph,
    Subheading,
    Quote,
    QuoteText,
    QuoteAttribution,
    list(N.bulletList, 'ul'),
    list(N.orderedList, 'ol'),
    ListItem,
    HardBreak,
    support(attributionHint),
  ];
}
