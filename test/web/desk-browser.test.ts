// The desk in real Chromium: signing in lands on /desk, a wrong password is shown next to its field,
// the one-time password is changed on first sign-in, the Arabic desk is right to left, hostile names
// stay text, and axe-core finds no serious or critical violation on the sign-in page, the landing page
// and the users page in Arabic and English.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { DESK_PASSWORD, expectAccessible, launchBrowser, needChromium, signIn, startDesk, type DeskFixture } from './desk-fixture.ts';

describe('the desk in Chromium', () => {
  let d: DeskFixture;
  let browser: Browser;
  before(async () => {
    needChromium();
    d = await startDesk();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await d?.close();
  });

  const newPage = async (locale = 'en-GB') => (await browser.newContext({ baseURL: d.url, locale })).newPage();

  it('signs in and lands on /desk with the user named and navigation by role', async () => {
    const page = await newPage();
    await page.goto('/desk');
    assert.match(new URL(page.url()).pathname, /^\/desk\/sign-in$/);
    await expectAccessible(page);
    await signIn(page, d.users.editor.email, DESK_PASSWORD);
    assert.equal(new URL(page.url()).pathname, '/desk');
    assert.equal(await page.locator('html').getAttribute('dir'), 'ltr');
    assert.match(await page.locator('.who').innerText(), new RegExp(d.users.editor.user.name));
    assert.equal(await page.getByRole('link', { name: 'Admin' }).count(), 0, 'no Admin link for an editor');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/desk\/sign-in\?notice=signed-out/);
    await page.goto('/desk');
    assert.match(page.url(), /\/desk\/sign-in/);
    await page.context().close();
  });

  it('a wrong password is shown next to the password field', async () => {
    const page = await newPage();
    await page.goto('/desk/sign-in');
    await page.getByLabel('E-mail').fill(d.users.reporter.email);
    await page.getByLabel('Password').fill('definitely wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const error = page.locator('#f-password-error');
    await error.waitFor();
    assert.equal(await error.innerText(), 'The e-mail or the password is not right.');
    assert.equal(await page.locator('#f-password').getAttribute('aria-describedby'), 'f-password-error');
    // The message sits right under the field it is about.
    const field = (await page.locator('#f-password').boundingBox())!;
    const msg = (await error.boundingBox())!;
    assert.ok(msg.y >= field.y + field.height && msg.y - (field.y + field.height) < 40);
    await d.rt.store.users.clearFailedSignIns(`account:${d.users.reporter.email}`);
    await page.context().close();
  });

  it('the Arabic desk is right to left; sign-in, landing and users pages pass axe in Arabic and English', async () => {
    const arabicAdmin = await d.addUser('admin', { name: 'سلمى المدير', language: 'ar' });
    const page = await newPage('ar');
    await page.goto('/desk/sign-in');
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl', 'the sign-in page follows the browser language');
    await expectAccessible(page);
    await signIn(page, arabicAdmin.email, DESK_PASSWORD);
    assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    // Right to left for real: the brand sits at the right edge, the user's name at the left.
    const width = page.viewportSize()!.width;
    const brand = (await page.locator('.brand').boundingBox())!;
    const who = (await page.locator('.who').boundingBox())!;
    assert.ok(brand.x + brand.width > width - 40, `brand at the right (x=${brand.x})`);
    assert.ok(who.x < brand.x);
    assert.equal(await page.getByRole('link', { name: 'الإدارة' }).count(), 1);
    await expectAccessible(page);
    await page.getByRole('link', { name: 'الإدارة' }).click();
    await page.waitForURL(/\/desk\/admin\/users$/);
    assert.equal(await page.locator('h1').innerText(), 'المستخدمون');
    await expectAccessible(page);
    await page.context().close();

    const en = await newPage();
    await signIn(en, d.users.admin.email, DESK_PASSWORD);
    await en.goto('/desk/admin/users');
    assert.equal(await en.locator('html').getAttribute('dir'), 'ltr');
    await expectAccessible(en);
    await en.context().close();
  });

  it('an admin adds a user; the one-time password must be replaced at first sign-in', async () => {
    const admin = await newPage();
    await signIn(admin, d.users.admin.email, DESK_PASSWORD);
    await admin.goto('/desk/admin/users');
    await admin.getByLabel('E-mail').fill('first.timer@agency.test');
    await admin.getByLabel('Name').fill('First Timer');
    await admin.getByRole('region', { name: 'Add a user' }).getByLabel('Role').selectOption('editor');
    await admin.getByRole('button', { name: 'Add a user' }).click();
    const otp = (await admin.getByTestId('one-time-password').innerText()).trim();
    assert.match(otp, /^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    await admin.context().close();

    const page = await newPage();
    await signIn(page, 'first.timer@agency.test', otp);
    assert.equal(new URL(page.url()).pathname, '/desk/password');
    await page.goto('/desk');
    assert.equal(new URL(page.url()).pathname, '/desk/password', 'no desk page before the password is changed');
    await expectAccessible(page);
    await page.getByLabel('Current password').fill(otp);
    await page.getByLabel('New password', { exact: true }).fill('my own password 42');
    await page.getByLabel('New password again').fill('my own password 42');
    await Promise.all([page.waitForURL((u) => u.pathname === '/desk'), page.getByRole('button', { name: 'Save' }).click()]);
    assert.equal(await page.locator('h1').innerText(), 'Wire monitor');
    await page.context().close();
  });

  it('a hostile name renders as text, runs nothing', async () => {
    const hostile = await d.addUser('admin', { name: '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>' });
    const page = await newPage();
    await signIn(page, hostile.email, DESK_PASSWORD);
    await page.goto('/desk/admin/users');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.match(await page.locator('.who').innerText(), /<img src=x onerror/);
    assert.equal(await page.locator('main img').count(), 0);
    await page.context().close();
  });
});
