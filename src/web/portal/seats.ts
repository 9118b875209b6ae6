// A subscriber's seats, managed by its seat administrators: the list, adding a seat (its one-time
// password shown once) within the seat limit the agency set, deactivating (which ends that seat's
// sessions at once), reactivating and resetting a password. Another subscriber's seat is answered 404.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccountError, INTERFACE_LANGUAGES, SEAT_ROLES, type User } from '../../model/users.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, field, select, text } from '../account/forms.ts';
import type { PortalContext } from './context.ts';
import { PORTAL } from './layout.ts';
import { LANGUAGE_NAMES, PORTAL_STRINGS, type PortalStrings } from './strings.ts';

const PATH = `${PORTAL}/seats`;

interface Shown {
  secret?: { email: string; password: string };
  form?: { email: string; name: string; role: string; language: string; errors: Record<string, string> };
  rowError?: { id: string; message: string };
}

export function seatRoutes(app: FastifyInstance, portal: PortalContext): void {
  const admin = { preHandler: portal.guard('seat-admin') };
  const accounts = portal.deps.accounts;

  const list = async (req: FastifyRequest, reply: FastifyReply, status: number, shown: Shown = {}) => {
    const subscriber = portal.subscriber(req);
    const seats = await accounts.list({ subscriberId: subscriber.id });
    return portal.page(
      req,
      reply,
      status,
      (t) => t.seatsTitle,
      (csrf, t) => seatsPage(seats, subscriber.seatLimit, req.user!, csrf, t, shown),
    );
  };

  app.get('/seats', admin, async (req, reply) => list(req, reply, 200));

  app.post('/seats', admin, async (req, reply) => {
    const subscriber = portal.subscriber(req);
    const form = {
      email: text(req.body, 'email', 300),
      name: text(req.body, 'name', 500),
      role: text(req.body, 'role', 40),
      language: text(req.body, 'language', 10),
      errors: {} as Record<string, string>,
    };
    if (!(SEAT_ROLES as readonly string[]).includes(form.role)) form.errors.role = 'choose seat or seat administrator';
    if (!form.name.trim()) form.errors.name = 'a name is required';
    if (Object.keys(form.errors).length) return list(req, reply, 400, { form });
    try {
      const { user, password } = await accounts.add({
        email: form.email,
        name: form.name,
        role: form.role,
        language: form.language,
        subscriberId: subscriber.id,
      });
      return list(req, reply, 201, { secret: { email: user.email, password } });
    } catch (e) {
      if (e instanceof AccountError) {
        // The seat limit is about the whole form: shown next to the e-mail, where the new seat is named.
        form.errors[e.field === 'seats' ? 'email' : e.field] =
          e.field === 'seats' && subscriber.seatLimit !== null ? seatLimitText(req, portal, subscriber.seatLimit) : e.message;
        return list(req, reply, e.message.includes('already exists') ? 409 : e.field === 'seats' ? 409 : 400, { form });
      }
      throw e;
    }
  });

  // One handler per act on a row; only seats of the signed-in seat's own subscriber are found at all.
  const act = (name: string, run: (id: string) => Promise<{ secret?: Shown['secret'] } | undefined>) =>
    app.post<{ Params: { id: string } }>(`/seats/:id/${name}`, admin, async (req, reply) => {
      const id = req.params.id;
      const seat = await accounts.get(id);
      if (!seat || seat.subscriberId !== portal.subscriber(req).id) {
        return portal.simple(
          req,
          reply,
          404,
          (t) => t.notFoundTitle,
          (t) => t.notFound,
        );
      }
      try {
        if (id === req.user!.id) throw new AccountError('user', 'you cannot deactivate or reset yourself here; use your account page');
        const out = await run(id);
        if (out?.secret) return list(req, reply, 200, { secret: out.secret });
        return reply.code(303).header('location', PATH).send();
      } catch (e) {
        if (e instanceof AccountError) {
          const limit = portal.subscriber(req).seatLimit;
          return list(req, reply, e.field === 'seats' ? 409 : 400, {
            rowError: { id, message: e.field === 'seats' && limit !== null ? seatLimitText(req, portal, limit) : e.message },
          });
        }
        throw e;
      }
    });

  act('deactivate', async (id) => {
    await accounts.deactivate(id);
    return undefined;
  });
  act('reactivate', async (id) => {
    await accounts.reactivate(id);
    return undefined;
  });
  act('reset-password', async (id) => {
    const { user, password } = await accounts.resetPassword(id);
    return { secret: { email: user.email, password } };
  });
}

function seatLimitText(req: FastifyRequest, _portal: PortalContext, limit: number): string {
  return PORTAL_STRINGS[req.user?.language ?? 'en'].seatLimitReached(limit);
}

function seatsPage(seats: User[], limit: number | null, me: User, csrf: string, t: PortalStrings, shown: Shown): SafeHtml {
  const f = shown.form;
  const active = seats.filter((s) => s.active).length;
  const roleOptions = SEAT_ROLES.map((r) => [r, t.roles[r]] as [string, string]);
  return html`<h1>${t.seatsTitle}</h1>
<p data-testid="seats-used">${t.seatsUsed(active, limit)}</p>
${
  shown.secret
    ? html`<section class="panel" aria-labelledby="secret-title">
  <h2 id="secret-title">${t.oneTimePasswordFor(shown.secret.email)}</h2>
  <p class="secret" data-testid="one-time-password">${shown.secret.password}</p>
  <p>${t.oneTimePasswordNote}</p>
</section>`
    : ''
}
<table>
  <caption class="skip">${t.seatsTitle}</caption>
  <thead><tr><th scope="col">${t.name}</th><th scope="col">${t.email}</th><th scope="col">${t.role}</th><th scope="col">${t.status}</th><th scope="col">${t.actions}</th></tr></thead>
  <tbody>
  ${seats.map(
    (u) => html`<tr data-seat="${u.email}">
    <td><bdi>${u.name}</bdi></td>
    <td><bdi dir="ltr">${u.email}</bdi></td>
    <td>${t.roles[u.role as 'seat'] ?? u.role}</td>
    <td>${u.active ? t.active : t.inactive}</td>
    <td>${
      u.id === me.id
        ? html`<span>${t.cannotChangeSelf}</span>`
        : html`<form method="post" action="${PATH}/${u.id}/${u.active ? 'deactivate' : 'reactivate'}">${csrfField(csrf)}<button type="submit" class="secondary">${u.active ? t.deactivate : t.reactivate}</button></form>
      <form method="post" action="${PATH}/${u.id}/reset-password">${csrfField(csrf)}<button type="submit" class="secondary">${t.resetPassword}</button></form>`
    }${shown.rowError?.id === u.id ? html`<p class="error" role="alert">${shown.rowError.message}</p>` : ''}</td>
  </tr>`,
  )}
  </tbody>
</table>
<section class="panel" aria-labelledby="add-title">
  <h2 id="add-title">${t.addSeat}</h2>
  <form method="post" action="${PATH}" novalidate>
    ${csrfField(csrf)}
    ${field({ name: 'email', label: t.email, type: 'email', value: f?.email, error: f?.errors.email, required: true, dir: 'ltr' })}
    ${field({ name: 'name', label: t.name, value: f?.name, error: f?.errors.name, required: true, dir: 'auto' })}
    ${select('role', t.role, roleOptions, f?.role ?? 'seat', f?.errors.role)}
    ${select(
      'language',
      t.language,
      INTERFACE_LANGUAGES.map((l) => [l, LANGUAGE_NAMES[l]]),
      f?.language ?? me.language,
      f?.errors.language,
    )}
    <button type="submit">${t.addSeat}</button>
  </form>
</section>`;
}
