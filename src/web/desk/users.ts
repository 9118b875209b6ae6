// User administration (admins only): the list, adding a user (the one-time password shown once),
// changing a role, deactivating (which ends that user's sessions at once), reactivating, and resetting
// a password. Every form is checked on the server; a refusal is shown next to its field.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccountError, INTERFACE_LANGUAGES, STAFF_ROLES, userActor, type User } from '../../model/users.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, field, select, text } from '../account/forms.ts';
import type { DeskContext } from './context.ts';
import { LANGUAGE_NAMES, type DeskStrings } from './strings.ts';

const PATH = '/desk/admin/users';

interface Shown {
  /** A one-time password to show once, for whom. */
  secret?: { email: string; password: string };
  /** The add form as sent, with its errors. */
  form?: { email: string; name: string; role: string; language: string; errors: Record<string, string> };
  /** An error about one row's act. */
  rowError?: { id: string; message: string };
}

export function userAdminRoutes(app: FastifyInstance, desk: DeskContext): void {
  const admin = { preHandler: desk.guard('admin') };
  const accounts = desk.deps.accounts;
  // Users acts are admin acts too: each is recorded in the audit trail with the admin who made it.
  const audit = (req: FastifyRequest, action: string, user: Pick<User, 'id' | 'email'>, details: Record<string, unknown> = {}) =>
    desk.deps.store.audit.record({ actor: userActor(req.user!), action, targetType: 'user', targetId: user.id, details: { email: user.email, ...details } });

  const list = async (req: FastifyRequest, reply: FastifyReply, status: number, shown: Shown = {}) => {
    const users = await accounts.list({ staff: true });
    return desk.page(
      req,
      reply,
      status,
      (t) => t.users,
      (csrf, t) => usersPage(users, req.user!, csrf, t, shown),
    );
  };

  app.get('/admin/users', admin, async (req, reply) => list(req, reply, 200));

  app.post('/admin/users', admin, async (req, reply) => {
    const form = {
      email: text(req.body, 'email', 300),
      name: text(req.body, 'name', 500),
      role: text(req.body, 'role', 40),
      language: text(req.body, 'language', 10),
      errors: {} as Record<string, string>,
    };
    if (!(STAFF_ROLES as readonly string[]).includes(form.role)) form.errors.role = 'choose reporter, editor or administrator';
    if (!form.name.trim()) form.errors.name = 'a name is required';
    if (Object.keys(form.errors).length) return list(req, reply, 400, { form });
    try {
      const { user, password } = await accounts.add({ email: form.email, name: form.name, role: form.role, language: form.language });
      await audit(req, 'user.create', user, { role: user.role });
      return list(req, reply, 201, { secret: { email: user.email, password } });
    } catch (e) {
      if (e instanceof AccountError) {
        form.errors[e.field] = e.message;
        return list(req, reply, e.message.includes('already exists') ? 409 : 400, { form });
      }
      throw e;
    }
  });

  // One handler per act on a row; an admin may not demote or deactivate themselves (no locked-out agency).
  const act = (name: string, run: (id: string, req: FastifyRequest) => Promise<{ secret?: Shown['secret'] } | undefined>) =>
    app.post<{ Params: { id: string } }>(`/admin/users/:id/${name}`, admin, async (req, reply) => {
      const id = req.params.id;
      if (!(await accounts.get(id))) return list(req, reply, 404, { rowError: { id, message: `no user ${id}` } });
      try {
        const out = await run(id, req);
        if (out?.secret) return list(req, reply, 200, { secret: out.secret });
        return reply.code(303).header('location', PATH).send();
      } catch (e) {
        if (e instanceof AccountError) return list(req, reply, 400, { rowError: { id, message: e.message } });
        throw e;
      }
    });

  const notSelf = (req: FastifyRequest, id: string) => {
    if (req.user!.id === id) throw new AccountError('user', 'you cannot change your own role or deactivate yourself');
  };

  act('role', async (id, req) => {
    notSelf(req, id);
    const role = text(req.body, 'role', 40);
    if (!(STAFF_ROLES as readonly string[]).includes(role)) throw new AccountError('role', 'choose reporter, editor or administrator');
    const user = await accounts.changeRole(id, role);
    await audit(req, 'user.role', user, { role });
    return undefined;
  });
  act('deactivate', async (id, req) => {
    notSelf(req, id);
    await audit(req, 'user.deactivate', await accounts.deactivate(id));
    return undefined;
  });
  act('reactivate', async (id, req) => {
    await audit(req, 'user.reactivate', await accounts.reactivate(id));
    return undefined;
  });
  act('reset-password', async (id, req) => {
    const { user, password } = await accounts.resetPassword(id);
    await audit(req, 'user.reset-password', user);
    return { secret: { email: user.email, password } };
  });
}

function usersPage(users: User[], me: User, csrf: string, t: DeskStrings, shown: Shown): SafeHtml {
  const f = shown.form;
  const roleOptions = STAFF_ROLES.map((r) => [r, t.roles[r]] as [string, string]);
  return html`<h1>${t.users}</h1>
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
  <caption class="skip">${t.users}</caption>
  <thead><tr><th scope="col">${t.name}</th><th scope="col">${t.email}</th><th scope="col">${t.role}</th><th scope="col">${t.status}</th><th scope="col">${t.actions}</th></tr></thead>
  <tbody>
  ${
    users.length === 0
      ? html`<tr><td colspan="5">${t.noUsers}</td></tr>`
      : users.map(
          (u) => html`<tr data-user="${u.email}">
    <td><bdi>${u.name}</bdi></td>
    <td><bdi dir="ltr">${u.email}</bdi></td>
    <td>${t.roles[u.role] ?? u.role}</td>
    <td>${u.active ? t.active : t.inactive}</td>
    <td>${
      u.id === me.id
        ? html`<span>${t.cannotChangeSelf}</span>`
        : html`<form method="post" action="${PATH}/${u.id}/role">${csrfField(csrf)}<label class="skip" for="role-${u.id}">${t.role}: ${u.name}</label><select id="role-${u.id}" name="role">${roleOptions.map(
            ([v, label]) => html`<option value="${v}"${v === u.role ? html` selected` : ''}>${label}</option>`,
          )}</select><button type="submit" class="secondary">${t.changeRole}</button></form>
      <form method="post" action="${PATH}/${u.id}/${u.active ? 'deactivate' : 'reactivate'}">${csrfField(csrf)}<button type="submit" class="secondary">${u.active ? t.deactivate : t.reactivate}</button></form>
      <form method="post" action="${PATH}/${u.id}/reset-password">${csrfField(csrf)}<button type="submit" class="secondary">${t.resetPassword}</button></form>`
    }${shown.rowError?.id === u.id ? html`<p class="error" role="alert">${shown.rowError.message}</p>` : ''}</td>
  </tr>`,
        )
  }
  </tbody>
</table>
${shown.rowError && !users.some((u) => u.id === shown.rowError!.id) ? html`<p class="error" role="alert">${shown.rowError.message}</p>` : ''}
<section class="panel" aria-labelledby="add-title">
  <h2 id="add-title">${t.addUser}</h2>
  <form method="post" action="${PATH}" novalidate>
    ${csrfField(csrf)}
    ${field({ name: 'email', label: t.email, type: 'email', value: f?.email, error: f?.errors.email, required: true, dir: 'ltr' })}
    ${field({ name: 'name', label: t.name, value: f?.name, error: f?.errors.name, required: true, dir: 'auto' })}
    ${select('role', t.role, roleOptions, f?.role ?? 'reporter', f?.errors.role)}
    ${select(
      'language',
      t.language,
      INTERFACE_LANGUAGES.map((l) => [l, LANGUAGE_NAMES[l]]),
      f?.language ?? me.language,
      f?.errors.language,
    )}
    <button type="submit">${t.addUser}</button>
  </form>
</section>`;
}
