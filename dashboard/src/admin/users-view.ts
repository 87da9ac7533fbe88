// The users page (admin): every account, a form for a new one, and per account disable /
// enable (confirmed first), change role and team, and password reset. A password the gateway
// generates is shown once, with a copy button, and then forgotten.
import type { Role, UserRecord } from '../api-types.ts';
import { toApiError, type ApiError } from '../api.ts';
import { local, timeText } from '../i18n.ts';
import type { FeedStatus, ViewModel } from '../state.ts';
import { h, reconcileChildren, setAttr, setClass, setText } from '../views/dom.ts';
import type { MountedView, ViewContext } from '../views/view-contract.ts';
import { changeRole, createUser, describeError, disableUser, enableUser, listUsers, resetPassword } from './users-api.ts';
import {
  checkNewUser,
  checkRoleChange,
  isOwnAccount,
  MAX_PASSWORD_CHARS,
  MIN_PASSWORD_CHARS,
  ROLES,
  sortUsers,
  type FormField,
  type FormProblem,
} from './users-logic.ts';
import { ut } from './users-strings.ts';

type Mode = 'idle' | 'confirm-disable' | 'confirm-reset' | 'edit-role';

interface RowState {
  mode: Mode;
  busy: boolean;
  error: string | null;
}

interface Row {
  el: HTMLTableRowElement;
  username: HTMLElement;
  role: HTMLElement;
  team: HTMLElement;
  status: HTMLElement;
  created: HTMLElement;
  actions: HTMLElement;
  error: HTMLElement;
  roleSelect: HTMLSelectElement;
  teamSelect: HTMLSelectElement;
  painted: string;
}

function option(value: string, text: string): HTMLOptionElement {
  const o = h('option', { text });
  o.value = value;
  return o;
}

/** Keeps a select's options in step with the language without losing the choice. */
function fillSelect(select: HTMLSelectElement, options: ReadonlyArray<[string, string]>): void {
  const value = select.value;
  const same = select.options.length === options.length && options.every(([v, text], i) => select.options[i]?.value === v && select.options[i]?.text === text);
  if (!same) {
    select.replaceChildren(...options.map(([v, text]) => option(v, text)));
    if (options.some(([v]) => v === value)) select.value = value;
  }
}

export function createUsersView(ctx: ViewContext): MountedView {
  const me = ctx.user.username;
  const teams = ctx.site.patrolTeams;
  const teamIds = teams.map((tm) => tm.id);
  const teamName = (id: string | null): string => {
    if (!id) return ut('team.none');
    const tm = teams.find((x) => x.id === id);
    return tm ? local(tm.name) : id;
  };
  const roleLabel = (role: Role): string => ut(`role.${role}`);

  let users: UserRecord[] | null = null;
  let loading = false;
  let listError: string | null = null;
  let notice: string | null = null;
  let shownPassword: { username: string; password: string } | null = null;
  let copyState: 'idle' | 'copied' | 'failed' = 'idle';
  let creating = false;
  let createError: string | null = null;
  let problems: Partial<Record<FormField, FormProblem>> = {};
  const rowStates = new Map<string, RowState>();
  const rows = new Map<string, Row>();
  let disposed = false;

  const changed = (): void => {
    if (!disposed) ctx.changed();
  };

  /** Every failed call: a 401 ends the session, anything else is shown with its message. */
  const failure = (err: unknown): string => {
    const e: ApiError = toApiError(err);
    if (e.status === 401 && !disposed) ctx.sessionEnded({ code: e.code, message: e.message });
    return ut('error', { message: describeError(e, { NOT_FOUND: ut('notFound') }) });
  };

  const load = (): void => {
    if (loading) return;
    loading = true;
    changed();
    listUsers().then(
      (list) => {
        users = list;
        listError = null;
      },
      (err: unknown) => {
        listError = failure(err);
      },
    ).finally(() => {
      loading = false;
      changed();
    });
  };

  // ---- the password shown once ----
  const pwHeading = h('h2');
  const pwValue = h('code', { className: 'users-password-value', attrs: { 'data-testid': 'password-value' } });
  const pwWarning = h('p', { className: 'users-password-warning' });
  const pwCopy = h('button', { className: 'primary', attrs: { type: 'button', 'data-action': 'copy-password' } });
  const pwCopyState = h('span', { className: 'users-copy-state', attrs: { role: 'status' } });
  const pwClose = h('button', { className: 'secondary', attrs: { type: 'button', 'data-action': 'close-password' } });
  const pwPanel = h(
    'section',
    { className: 'panel users-password', attrs: { 'data-testid': 'new-password', role: 'alert' } },
    pwHeading,
    pwWarning,
    h('div', { className: 'users-password-row' }, pwValue, pwCopy, pwCopyState),
    pwClose,
  );
  pwPanel.hidden = true;
  pwCopy.addEventListener('click', () => {
    if (!shownPassword) return;
    const text = shownPassword.password;
    const selectIt = (): void => {
      const range = document.createRange();
      range.selectNodeContents(pwValue);
      const sel = window.getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
    };
    if (!navigator.clipboard) {
      selectIt();
      copyState = 'failed';
      changed();
      return;
    }
    navigator.clipboard.writeText(text).then(
      () => {
        copyState = 'copied';
      },
      () => {
        selectIt();
        copyState = 'failed';
      },
    ).finally(changed);
  });
  pwClose.addEventListener('click', () => {
    shownPassword = null;
    pwValue.textContent = '';
    changed();
  });
  const showPassword = (username: string, password: string): void => {
    shownPassword = { username, password };
    copyState = 'idle';
  };

  // ---- create form ----
  const formHeading = h('h2');
  const fUsername = h('input', { attrs: { type: 'text', 'data-field': 'username', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', maxlength: '32', id: 'users-new-username' } });
  const fRole = h('select', { attrs: { 'data-field': 'role', id: 'users-new-role' } });
  const fTeam = h('select', { attrs: { 'data-field': 'team', id: 'users-new-team' } });
  const fPassword = h('input', { attrs: { type: 'text', 'data-field': 'password', autocomplete: 'off', maxlength: String(MAX_PASSWORD_CHARS), id: 'users-new-password' } });
  const labels = {
    username: h('label', { attrs: { for: 'users-new-username' } }),
    role: h('label', { attrs: { for: 'users-new-role' } }),
    team: h('label', { attrs: { for: 'users-new-team' } }),
    password: h('label', { attrs: { for: 'users-new-password' } }),
  };
  const hints = { username: h('small', { className: 'users-hint' }), password: h('small', { className: 'users-hint' }) };
  const fieldErrors: Record<FormField, HTMLElement> = {
    username: h('p', { className: 'users-field-error' }),
    role: h('p', { className: 'users-field-error' }),
    team: h('p', { className: 'users-field-error' }),
    password: h('p', { className: 'users-field-error' }),
  };
  const teamField = h('div', { className: 'users-field' }, labels.team, fTeam, fieldErrors.team);
  const submit = h('button', { className: 'primary', attrs: { type: 'submit' } });
  const createErrorEl = h('p', { className: 'users-error', attrs: { role: 'alert' } });
  const form = h(
    'form',
    { className: 'users-create-form', attrs: { 'data-testid': 'create-user', novalidate: '' } },
    h('div', { className: 'users-field' }, labels.username, fUsername, hints.username, fieldErrors.username),
    h('div', { className: 'users-field' }, labels.role, fRole, fieldErrors.role),
    teamField,
    h('div', { className: 'users-field' }, labels.password, fPassword, hints.password, fieldErrors.password),
    h('div', { className: 'users-form-actions' }, submit),
    createErrorEl,
  );
  fRole.addEventListener('change', changed);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (creating) return;
    const checked = checkNewUser(
      { username: fUsername.value, role: fRole.value, team: fRole.value === 'patrol' ? fTeam.value : '', password: fPassword.value },
      teamIds,
      (users ?? []).map((u) => u.username),
    );
    if (!checked.ok) {
      problems = checked.problems;
      createError = null;
      changed();
      return;
    }
    problems = {};
    creating = true;
    createError = null;
    changed();
    createUser(checked.body).then(
      (created) => {
        notice = ut('done.create', { user: created.user.username });
        if (created.password) showPassword(created.user.username, created.password);
        form.reset();
        fRole.value = 'operator';
        load();
      },
      (err: unknown) => {
        createError = failure(err);
      },
    ).finally(() => {
      creating = false;
      changed();
    });
  });
  const createPanel = h('section', { className: 'panel users-create' }, formHeading, form);

  // ---- list ----
  const listHeading = h('h2');
  const count = h('span', { className: 'count' });
  const reload = h('button', { className: 'secondary', attrs: { type: 'button' } });
  reload.addEventListener('click', load);
  const listStatus = h('p', { className: 'empty' });
  const listErrorEl = h('p', { className: 'users-error', attrs: { role: 'alert' } });
  const headCells = (['username', 'role', 'team', 'status', 'created', 'actions'] as const).map((k) => ({ k, th: h('th', { attrs: { scope: 'col' } }) }));
  const tbody = h('tbody');
  const table = h('table', { className: 'users-table' }, h('thead', {}, h('tr', {}, ...headCells.map((c) => c.th))), tbody);
  const noticeEl = h('p', { className: 'users-notice', attrs: { role: 'status' } });
  const listPanel = h(
    'section',
    { className: 'panel users-list' },
    h('div', { className: 'panel-head' }, h('div', { className: 'users-head' }, listHeading, count), reload),
    listErrorEl,
    listStatus,
    table,
  );

  const title = h('h1', { className: 'users-title' });
  const el = h('main', { className: 'users-page' }, title, noticeEl, pwPanel, createPanel, listPanel);

  // ---- row actions ----
  const stateOf = (username: string): RowState => rowStates.get(username) ?? { mode: 'idle', busy: false, error: null };
  const setState = (username: string, next: Partial<RowState>): void => {
    rowStates.set(username, { ...stateOf(username), ...next });
    changed();
  };

  const run = (username: string, work: () => Promise<string | null>): void => {
    setState(username, { busy: true, error: null });
    work().then(
      (done) => {
        notice = done;
        setState(username, { busy: false, mode: 'idle' });
        load();
      },
      (err: unknown) => setState(username, { busy: false, error: failure(err) }),
    );
  };

  const onAction = (user: UserRecord, action: string, row: Row): void => {
    const st = stateOf(user.username);
    if (st.busy) return;
    const own = isOwnAccount(me, user);
    switch (action) {
      case 'disable':
        if (own) return setState(user.username, { error: ut('action.ownAccount') });
        return setState(user.username, { mode: 'confirm-disable', error: null });
      case 'reset-password':
        if (own) return setState(user.username, { error: ut('action.ownAccount') });
        return setState(user.username, { mode: 'confirm-reset', error: null });
      case 'change-role':
        if (own) return setState(user.username, { error: ut('action.ownAccount') });
        row.roleSelect.value = user.role;
        row.teamSelect.value = user.team ?? '';
        return setState(user.username, { mode: 'edit-role', error: null });
      case 'enable':
        return run(user.username, async () => {
          await enableUser(user.username);
          return ut('done.enable', { user: user.username });
        });
      case 'confirm':
        if (st.mode === 'confirm-disable') {
          return run(user.username, async () => {
            await disableUser(user.username);
            return ut('done.disable', { user: user.username });
          });
        }
        if (st.mode === 'confirm-reset') {
          return run(user.username, async () => {
            const password = await resetPassword(user.username);
            showPassword(user.username, password);
            return null;
          });
        }
        return;
      case 'save-role': {
        const role = row.roleSelect.value;
        const checked = checkRoleChange(role, role === 'patrol' ? row.teamSelect.value : '', teamIds);
        if (!checked.ok) {
          const problem = checked.problems.team ?? checked.problems.role;
          return setState(user.username, { error: problem ? problemText(problem) : null });
        }
        return run(user.username, async () => {
          await changeRole(user.username, checked.body);
          return ut('done.role', { user: user.username });
        });
      }
      case 'cancel':
        return setState(user.username, { mode: 'idle', error: null });
    }
  };

  const problemText = (p: FormProblem): string =>
    ut(`problem.${p}`, { min: MIN_PASSWORD_CHARS, max: MAX_PASSWORD_CHARS });

  const button = (action: string, text: string, cls = 'secondary', disabled = false): HTMLButtonElement => {
    const b = h('button', { className: cls, text, attrs: { type: 'button', 'data-action': action } });
    b.disabled = disabled;
    return b;
  };

  const createRow = (user: UserRecord): Row => {
    const roleSelect = h('select', { attrs: { 'data-field': 'role', 'aria-label': ut('col.role') } });
    const teamSelect = h('select', { attrs: { 'data-field': 'team', 'aria-label': ut('col.team') } });
    roleSelect.addEventListener('change', changed);
    const row: Row = {
      el: h('tr', { attrs: { 'data-username': user.username } }),
      username: h('td', { className: 'users-name' }),
      role: h('td'),
      team: h('td'),
      status: h('td'),
      created: h('td', { className: 'users-created' }),
      actions: h('div', { className: 'users-actions' }),
      error: h('p', { className: 'users-error', attrs: { role: 'alert' } }),
      roleSelect,
      teamSelect,
      painted: '',
    };
    row.el.append(row.username, row.role, row.team, row.status, row.created, h('td', {}, row.actions));
    // One listener for the buttons, which are rebuilt when the row's mode changes.
    row.actions.addEventListener('click', (ev) => {
      const target = ev.target instanceof Element ? ev.target.closest('button[data-action]') : null;
      const action = target?.getAttribute('data-action');
      const current = users?.find((u) => u.username === user.username);
      if (action && current) onAction(current, action, row);
    });
    return row;
  };

  const roleOptions = (): Array<[string, string]> => ROLES.map((r) => [r, roleLabel(r)]);
  const teamOptions = (): Array<[string, string]> => [['', ut('team.choose')], ...teams.map((tm): [string, string] => [tm.id, local(tm.name)])];

  const paintRow = (row: Row, user: UserRecord): void => {
    const own = isOwnAccount(me, user);
    const st = stateOf(user.username);
    setClass(row.el, `users-row${user.disabled ? ' users-disabled' : ''}${own ? ' users-own' : ''}`);
    setText(row.username, user.username + (own ? ut('you') : ''));
    setText(row.role, roleLabel(user.role));
    setText(row.team, teamName(user.team));
    setText(row.status, user.disabled ? ut('status.disabled') : ut('status.enabled'));
    setText(row.created, timeText(user.createdAt));
    fillSelect(row.roleSelect, roleOptions());
    fillSelect(row.teamSelect, teamOptions());
    row.teamSelect.hidden = row.roleSelect.value !== 'patrol';

    // Rebuild the buttons only when what they show changed.
    const sig = [st.mode, st.busy, st.error, user.disabled, own, row.teamSelect.hidden, document.documentElement.lang].join('|');
    if (row.painted === sig) return;
    row.painted = sig;
    const nodes: Node[] = [];
    if (st.mode === 'confirm-disable' || st.mode === 'confirm-reset') {
      nodes.push(
        h('span', { className: 'users-confirm', text: ut(st.mode === 'confirm-disable' ? 'confirm.disable' : 'confirm.reset', { user: user.username }) }),
        button('confirm', st.busy ? ut('action.busy') : ut('confirm.yes'), 'primary users-danger', st.busy),
        button('cancel', ut('confirm.no'), 'secondary', st.busy),
      );
    } else if (st.mode === 'edit-role') {
      nodes.push(
        row.roleSelect,
        row.teamSelect,
        button('save-role', st.busy ? ut('action.busy') : ut('role.save'), 'primary', st.busy),
        button('cancel', ut('role.cancel'), 'secondary', st.busy),
      );
    } else {
      const ownTitle = own ? ut('action.ownAccount') : '';
      const buttons = [
        button('change-role', ut('action.change-role'), 'secondary', st.busy || own),
        button('reset-password', ut('action.reset-password'), 'secondary', st.busy || own),
        user.disabled
          ? button('enable', st.busy ? ut('action.busy') : ut('action.enable'), 'secondary', st.busy || own)
          : button('disable', st.busy ? ut('action.busy') : ut('action.disable'), 'secondary users-danger', st.busy || own),
      ];
      if (own) for (const b of buttons) b.title = ownTitle;
      nodes.push(...buttons);
    }
    setText(row.error, st.error ?? '');
    row.error.hidden = st.error === null;
    nodes.push(row.error);
    row.actions.replaceChildren(...nodes);
  };

  const update = (_model: ViewModel, _feed: FeedStatus, _nowMs: number): void => {
    if (disposed) return;
    setText(title, ut('title'));
    setText(noticeEl, notice ?? '');
    noticeEl.hidden = notice === null;

    // Password panel.
    pwPanel.hidden = shownPassword === null;
    if (shownPassword) {
      setText(pwHeading, ut('password.heading', { user: shownPassword.username }));
      setText(pwValue, shownPassword.password);
      setText(pwWarning, ut('password.warning'));
      setText(pwCopy, ut('password.copy'));
      setText(pwClose, ut('password.close'));
      setText(pwCopyState, copyState === 'copied' ? ut('password.copied') : copyState === 'failed' ? ut('password.copyFailed') : '');
    }

    // Create form.
    setText(formHeading, ut('create.heading'));
    setText(labels.username, ut('create.username'));
    setText(labels.role, ut('create.role'));
    setText(labels.team, ut('create.team'));
    setText(labels.password, ut('create.password'));
    setText(hints.username, ut('create.usernameHint'));
    setText(hints.password, ut('create.passwordHint', { min: MIN_PASSWORD_CHARS }));
    if (fRole.options.length === 0) {
      fillSelect(fRole, roleOptions());
      fRole.value = 'operator';
    } else {
      fillSelect(fRole, roleOptions());
    }
    fillSelect(fTeam, teamOptions());
    teamField.hidden = fRole.value !== 'patrol';
    for (const [field, elErr] of Object.entries(fieldErrors) as Array<[FormField, HTMLElement]>) {
      const p = problems[field];
      setText(elErr, p ? problemText(p) : '');
      elErr.hidden = !p;
    }
    setAttr(fUsername, 'aria-invalid', String(problems.username !== undefined));
    setAttr(fPassword, 'aria-invalid', String(problems.password !== undefined));
    submit.disabled = creating;
    setText(submit, creating ? ut('create.busy') : ut('create.submit'));
    setText(createErrorEl, createError ?? '');
    createErrorEl.hidden = createError === null;

    // List.
    setText(listHeading, ut('list.heading'));
    setText(reload, ut('list.reload'));
    reload.disabled = loading;
    for (const c of headCells) setText(c.th, ut(`col.${c.k}`));
    setText(count, users ? ut('list.count', { n: users.length }) : '');
    setText(listErrorEl, listError ?? '');
    listErrorEl.hidden = listError === null;
    const statusText = users === null ? (loading ? ut('list.loading') : '') : users.length === 0 ? ut('list.empty') : '';
    setText(listStatus, statusText);
    listStatus.hidden = statusText === '';
    table.hidden = !users || users.length === 0;

    const ordered: HTMLElement[] = [];
    const present = new Set<string>();
    for (const user of sortUsers(users ?? [])) {
      let row = rows.get(user.username);
      if (!row) {
        row = createRow(user);
        rows.set(user.username, row);
      }
      paintRow(row, user);
      ordered.push(row.el);
      present.add(user.username);
    }
    for (const name of [...rows.keys()]) {
      if (!present.has(name)) {
        rows.delete(name);
        rowStates.delete(name);
      }
    }
    reconcileChildren(tbody, ordered);
  };

  load();

  return {
    el,
    update,
    dispose: () => {
      disposed = true;
      shownPassword = null;
    },
  };
}
