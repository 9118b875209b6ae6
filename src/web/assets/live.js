// Progressive enhancement of the home and section pages: a discreet bar when new stories are
// published. The page works fully without it; it only offers a reload.
(() => {
  var root = document.documentElement;
  var stream = root.getAttribute('data-stream');
  if (!stream || !window.EventSource) return;
  var bar = document.getElementById('new-stories');
  if (!bar) return;
  var label = bar.querySelector('[data-label]');
  var button = bar.querySelector('button');
  var seen = {};
  var count = 0;
  var templates = { one: bar.getAttribute('data-one'), many: bar.getAttribute('data-many') };
  var source = new EventSource(stream);
  source.addEventListener('story', (e) => {
    var item;
    try {
      item = JSON.parse(e.data);
    } catch (_err) {
      return;
    }
    if (!item || seen[item.id] || document.querySelector('[data-story="' + item.id + '"]')) return;
    seen[item.id] = true;
    count++;
    label.textContent = (count === 1 ? templates.one : templates.many).replace('{n}', String(count));
    bar.hidden = false;
  });
  button.addEventListener('click', () => {
    window.location.reload();
  });
})();
