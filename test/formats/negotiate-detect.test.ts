import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { negotiate, NegotiationError, FEED_FORMATS } from '../../src/formats/negotiate.ts';
import { detectFormat } from '../../src/formats/detect.ts';
import { renderVersion, renderList } from '../../src/formats/render.ts';
import { toNinjs3 } from '../../src/formats/ninjs.ts';
import { toNinjs2 } from '../../src/formats/ninjs2.ts';
import { toNewsML } from '../../src/formats/newsml.ts';
import { coreVersions, BASE_URL, STANDARDS } from './stories.ts';

test('?format= wins over Accept', () => {
  assert.equal(negotiate({ format: 'newsml', accept: 'application/json' }).format, 'newsml');
  assert.equal(negotiate({ format: 'ninjs2' }).contentType, 'application/ninjs+json; version=2.3; charset=utf-8');
});

test('Accept header with q-values, wildcards and versions', () => {
  assert.equal(negotiate({}).format, 'ninjs');
  assert.equal(negotiate({ accept: '*/*' }).format, 'ninjs');
  assert.equal(negotiate({ accept: '*/*', defaultFormat: 'newsml' }).format, 'newsml', 'subscriber default');
  assert.equal(negotiate({ accept: 'application/vnd.iptc.g2.newsitem+xml' }).format, 'newsml');
  assert.equal(negotiate({ accept: 'application/ninjs+json; version=2.3' }).format, 'ninjs2');
  assert.equal(negotiate({ accept: 'text/html;q=0.5, text/plain' }).format, 'text');
  assert.equal(negotiate({ accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' }).format, 'html');
  assert.equal(negotiate({ accept: 'application/xml', allowed: FEED_FORMATS }).format, 'newsml');
  assert.equal(negotiate({ accept: 'application/atom+xml', allowed: FEED_FORMATS }).format, 'atom');
});

test('unsupported formats give a 406 error listing the supported ones', () => {
  for (const input of [{ format: 'pdf' }, { accept: 'image/png' }, { format: 'atom' }, { accept: 'application/ninjs+json; version=1.7' }]) {
    assert.throws(
      () => negotiate(input),
      (e: unknown) => {
        assert.ok(e instanceof NegotiationError);
        assert.equal(e.status, 406);
        assert.deepEqual(e.supported, ['ninjs', 'ninjs2', 'newsml', 'html', 'text']);
        assert.match(e.message, /supported formats: ninjs \(application\/ninjs\+json\), ninjs2/);
        return true;
      },
    );
  }
});

test('detectFormat sniffs ninjs 2/3, arrays, JSONL, NewsML-G2 and other XML', () => {
  const v = coreVersions()[0].v;
  const n3 = JSON.stringify(toNinjs3(v, { baseUrl: BASE_URL }));
  const n2 = JSON.stringify(toNinjs2(v, { baseUrl: BASE_URL }));
  assert.equal(detectFormat(n3), 'ninjs3');
  assert.equal(detectFormat(n2), 'ninjs2');
  assert.equal(detectFormat(Buffer.from('\uFEFF  ' + n3)), 'ninjs3');
  assert.equal(detectFormat(`[${n3}]`), 'ninjs-array');
  assert.equal(detectFormat(`${n3}\n${n2}\n`), 'ninjs-jsonl');
  assert.equal(detectFormat('{"id":"ant-1","title":"x","body":"y"}\n{"id":"ant-2","title":"x","body":"y"}\n'), 'archive-jsonl');
  assert.equal(detectFormat(toNewsML(v, { baseUrl: BASE_URL })), 'newsml');
  const g2 = path.join(STANDARDS, 'newsml-g2', 'examples');
  assert.equal(detectFormat(readFileSync(path.join(g2, 'LISTING_2_NewsML-G2_Text_Document.xml'), 'utf8')), 'newsml');
  assert.equal(detectFormat(readFileSync(path.join(g2, 'LISTING_6_Simple_NewsML-G2_Package.xml'), 'utf8')), 'newsml-other');
  assert.equal(detectFormat('<feed xmlns="http://www.w3.org/2005/Atom"/>'), 'xml');
  assert.equal(detectFormat('<g:newsItem xmlns:g="http://iptc.org/std/nar/2006-10-01/"/>'), 'newsml');
  assert.equal(detectFormat('hello'), 'unknown');
  assert.equal(detectFormat(readFileSync(path.join(STANDARDS, 'ninjs/examples/2.2/004_simple_text_article.json'), 'utf8')), 'ninjs2');
  assert.equal(detectFormat(readFileSync(path.join(STANDARDS, 'ninjs/examples/3.1/004_simple_text_article.json'), 'utf8')), 'ninjs3');
});

test('renderVersion / renderList give body and content type per format', () => {
  const v = coreVersions()[0].v;
  for (const f of ['ninjs', 'ninjs2', 'newsml', 'html', 'text'] as const) {
    const r = renderVersion(f, v, { baseUrl: BASE_URL });
    assert.ok(r.body.length > 100 && r.contentType.includes('charset=utf-8'), f);
  }
  const list = renderList('atom', [v], { baseUrl: BASE_URL, feed: { id: 'urn:f', title: 'f', link: `${BASE_URL}/f` } });
  assert.match(list.body, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
  assert.equal(JSON.parse(renderList('ninjs', [v, v], { baseUrl: BASE_URL }).body).length, 2);
});
