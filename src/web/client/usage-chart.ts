// Page script of a subscriber's admin page: draws the usage table (days × channels, rendered by the
// server, src/web/desk/admin-subscribers.ts) as a uPlot line chart, one line per channel. The numbers
// come from the table's data attributes, so the chart never shows anything the table does not.
import uPlot from 'uplot';

const COLOURS = ['#1f5fa8', '#b3261e', '#2e7d32', '#8a5a00', '#6a1b9a', '#00695c'];

function draw(): void {
  const table = document.getElementById('usage-table');
  const target = document.getElementById('usage-chart');
  if (!table || !target) return;
  const days = (table.dataset.days ?? '').split(',').filter(Boolean);
  const channels = (table.dataset.channels ?? '').split(',').filter(Boolean);
  const series = (table.dataset.series ?? '').split(',').map((s) => s.split(' ').map(Number));
  const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
  const rtl = document.documentElement.dir === 'rtl';
  const width = Math.max(280, Math.min(900, target.clientWidth || 600));
  const chart = new uPlot(
    {
      width,
      height: 260,
      series: [{}, ...channels.map((c, i) => ({ label: c, stroke: COLOURS[i % COLOURS.length], width: 2 }))],
      axes: [{}, { side: rtl ? 1 : 3 }],
      scales: { x: { time: true } },
    },
    [xs, ...series],
    target,
  );
  target.dataset.ready = 'true';
  // The chart is a picture of the table: screen readers read the table instead.
  chart.root.setAttribute('aria-hidden', 'true');
}

draw();
