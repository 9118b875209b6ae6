// The portal's usage chart: stories received per day, one line per channel, drawn by uPlot (bundled
// here by esbuild; never from a CDN) from the numbers the server put in the page beside its table.
import uPlot from 'uplot';

const data = document.getElementById('usage-data');
const target = document.getElementById('usage-chart');
if (data && target) {
  const d = JSON.parse(data.textContent ?? '{}') as { labels: string[]; days: string[]; series: number[][] };
  const xs = d.days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
  const colours = ['#1d4ed8', '#b45309', '#047857', '#7c3aed', '#be123c'];
  const width = Math.max(320, Math.min(900, target.clientWidth || 900));
  new uPlot(
    {
      width,
      height: 300,
      scales: { x: { time: true } },
      series: [{}, ...d.labels.map((label, i) => ({ label, stroke: colours[i % colours.length], width: 2 }))],
      axes: [{}, { label: '' }],
    },
    [xs, ...d.series],
    target,
  );
}
