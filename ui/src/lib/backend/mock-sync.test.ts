import { describe, expect, it } from 'vitest';
import type { NewRemote, SyncProgress, SyncStatus } from './bindings';
import { MockBackend } from './mock';

const ORIGIN: NewRemote = { name: 'origin', dialect: 'projects', baseUrl: 'https://segments.example.com/', projectId: 'p1', token: 'secret' };

const badges = (s: SyncStatus) => Object.fromEntries(s.segments.map((b) => [b.key, b.state]));

describe('MockBackend sync', () => {
  it('adds a remote without ever handing out its token, and queues every segment for it', async () => {
    const b = new MockBackend();
    const info = await b.addRemote(ORIGIN);
    expect(info).toEqual({
      name: 'origin',
      dialect: 'projects',
      baseUrl: 'https://segments.example.com',
      projectId: 'p1',
      credential: 'keyring',
      credentialNote: 'in the OS keyring',
    });
    expect(JSON.stringify(await b.listRemotes())).not.toContain('secret');
    const status = await b.syncStatus('origin');
    expect(new Set(Object.values(badges(status)))).toEqual(new Set(['not_on_remote']));
    expect(status.pending.map((p) => p.op)).toEqual(['create', 'create', 'create', 'create', 'create']);

    await expect(b.addRemote(ORIGIN)).rejects.toMatchObject({ code: 'conflict' });
    await expect(b.addRemote({ ...ORIGIN, name: 'e', dialect: 'edgeflags' })).rejects.toMatchObject({
      code: 'validation',
      message: 'an edgeflags remote takes no project id; remove --project',
    });
    await expect(b.addRemote({ ...ORIGIN, name: 'k', dialect: 'krafter', projectId: ' ' })).rejects.toMatchObject({ code: 'validation' });
    await expect(b.addRemote({ ...ORIGIN, name: 'u', baseUrl: 'ftp://x' })).rejects.toMatchObject({ code: 'validation' });
    const file = await new MockBackend({ keyring: false }).addRemote(ORIGIN);
    expect(file.credential).toBe('file');
    expect(file.credentialNote).toMatch(/readable only by you/);
  });

  it('previews, pushes with progress, and refuses what the dialect cannot express', async () => {
    const b = new MockBackend();
    await b.addRemote(ORIGIN);
    const preview = await b.previewPush('origin');
    expect(preview.changes.map((c) => [c.op, c.key, c.request])).toEqual([
      ['create', 'eu-customers', 'POST /v1/projects/p1/segments'],
      ['create', 'eu-power-users', 'POST /v1/projects/p1/segments'],
      ['create', 'ios-17-plus', 'POST /v1/projects/p1/segments'],
    ]);
    expect(preview.changes[0].diffs.map((d) => [d.field, d.before])).toEqual([
      ['name', null],
      ['description', null],
      ['match_type', null],
      ['rules', null],
    ]);
    expect(preview.refused.map((r) => r.key)).toEqual(['beta-testers', 'power-users']);
    expect(preview.refused[0].message).toContain('is case-insensitive');
    expect(preview.refused[1].message).toContain('rules[1] is a nested group');
    expect(b.remote('origin').keys()).toEqual([]); // a preview sends nothing

    const progress: SyncProgress[] = [];
    const report = await b.pushRemote('origin', (p) => progress.push(p));
    expect(report.created).toEqual(['eu-customers', 'eu-power-users', 'ios-17-plus']);
    expect(report.refused.map((r) => r.key)).toEqual(['beta-testers', 'power-users']);
    expect(report.requests).toBe(4);
    expect(progress.at(-1)).toEqual({ done: 5, total: 5, key: 'power-users' });
    const status = await b.syncStatus('origin');
    expect(badges(status)).toMatchObject({ 'eu-customers': 'in_sync', 'beta-testers': 'not_on_remote' });
    expect(status.pending.find((p) => p.key === 'beta-testers')).toMatchObject({ op: 'create', attempts: 1 });
  });

  it('merges separate edits, files overlapping ones as conflicts, and resolves them', async () => {
    const b = new MockBackend();
    await b.addRemote(ORIGIN);
    await b.pushRemote('origin', () => {});
    const seg = await b.getSegment('eu-customers');
    await b.updateSegment('eu-customers', { ...seg, name: 'EU customers (mine)' });
    expect(badges(await b.syncStatus('origin'))['eu-customers']).toBe('local_changes');
    const update = (await b.previewPush('origin')).changes.find((c) => c.key === 'eu-customers');
    expect(update).toMatchObject({ op: 'update', request: 'PUT /v1/projects/p1/segments/eu-customers' });
    expect(update?.diffs).toEqual([{ field: 'name', before: 'EU paying customers', after: 'EU customers (mine)' }]);

    // a different field edited on the remote merges
    b.remote('origin').edit('eu-customers', { description: 'Edited on the remote' });
    const merged = await b.pushRemote('origin', () => {});
    expect(merged.merged).toEqual(['eu-customers']);
    expect(merged.updated).toEqual(['eu-customers']);
    expect(b.remote('origin').get('eu-customers')).toMatchObject({ name: 'EU customers (mine)', description: 'Edited on the remote' });
    expect((await b.getSegment('eu-customers')).description).toBe('Edited on the remote');

    // the same field edited on both sides is a conflict
    await b.updateSegment('eu-customers', { ...(await b.getSegment('eu-customers')), name: 'Mine again' });
    b.remote('origin').edit('eu-customers', { name: 'Theirs' });
    const conflicted = await b.pushRemote('origin', () => {});
    expect(conflicted.conflicts).toEqual(['eu-customers']);
    expect(badges(await b.syncStatus('origin'))['eu-customers']).toBe('conflict');
    expect((await b.previewPush('origin')).conflicts).toEqual(['eu-customers']);
    const view = await b.getConflict('origin', 'eu-customers');
    expect(view.fields).toEqual(['name']);
    expect([view.base?.name, view.mine?.name, view.theirs?.name]).toEqual(['EU customers (mine)', 'Mine again', 'Theirs']);

    await b.resolveConflict('origin', 'eu-customers', 'theirs');
    expect((await b.getSegment('eu-customers')).name).toBe('Theirs');
    expect(badges(await b.syncStatus('origin'))['eu-customers']).toBe('in_sync');
    expect((await b.listRevisions('eu-customers'))[0].author).toBe('remote:origin');
    await expect(b.getConflict('origin', 'eu-customers')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps mine or an edited version, sent by the next push', async () => {
    const b = new MockBackend();
    await b.addRemote(ORIGIN);
    await b.pushRemote('origin', () => {});
    const seg = await b.getSegment('ios-17-plus');
    await b.updateSegment('ios-17-plus', { ...seg, description: 'mine' });
    b.remote('origin').edit('ios-17-plus', { description: 'theirs' });
    await b.pushRemote('origin', () => {});
    await b.resolveConflict('origin', 'ios-17-plus', 'mine');
    expect(badges(await b.syncStatus('origin'))['ios-17-plus']).toBe('local_changes');
    expect((await b.pushRemote('origin', () => {})).updated).toEqual(['ios-17-plus']);
    expect(b.remote('origin').get('ios-17-plus')?.description).toBe('mine');

    await b.updateSegment('ios-17-plus', { ...seg, description: 'mine 2' });
    b.remote('origin').edit('ios-17-plus', { description: 'theirs 2' });
    await b.pushRemote('origin', () => {});
    await expect(b.resolveConflict('origin', 'ios-17-plus', 'mine', { ...seg, rules: [] })).rejects.toMatchObject({ code: 'validation' });
    await b.resolveConflict('origin', 'ios-17-plus', 'mine', { ...seg, description: 'both' });
    await b.pushRemote('origin', () => {});
    expect(b.remote('origin').get('ios-17-plus')?.description).toBe('both');
    expect(badges(await b.syncStatus('origin'))['ios-17-plus']).toBe('in_sync');
  });

  it('pulls new and changed segments, and deletes by push', async () => {
    const b = new MockBackend();
    await b.addRemote(ORIGIN);
    await b.pushRemote('origin', () => {});
    b.remote('origin').add({ key: 'from-remote', name: 'From remote', description: '', match_type: 'all', rules: [{ attribute: 'seats', operator: 'gt', values: [5] }] });
    b.remote('origin').edit('ios-17-plus', { name: 'iOS (renamed there)' });
    const progress: SyncProgress[] = [];
    const report = await b.pullRemote('origin', (p) => progress.push(p));
    expect(report.created).toEqual(['from-remote']);
    expect(report.updated).toEqual(['ios-17-plus']);
    expect(progress.at(-1)).toMatchObject({ done: 4, total: 4 });
    // the projects API writes values as strings; that is what the remote holds
    expect((await b.getSegment('from-remote')).rules[0]).toMatchObject({ values: ['5'] });
    expect(badges(await b.syncStatus('origin'))).toMatchObject({ 'from-remote': 'in_sync', 'ios-17-plus': 'in_sync' });

    await b.deleteSegment('from-remote');
    expect((await b.previewPush('origin')).changes).toEqual([
      { key: 'from-remote', op: 'delete', diffs: expect.any(Array), request: 'DELETE /v1/projects/p1/segments/from-remote', body: null, merged: false },
    ]);
    expect((await b.pushRemote('origin', () => {})).deleted).toEqual(['from-remote']);
    expect(b.remote('origin').get('from-remote')).toBeNull();
  });

  it('reports a wrong token and an unreachable host with their codes', async () => {
    const b = new MockBackend({ remoteTokens: { 'https://segments.example.com': 'right' } });
    await b.addRemote({ ...ORIGIN, token: 'wrong' });
    await expect(b.testRemote('origin')).rejects.toMatchObject({ code: 'unauthorized', message: expect.stringContaining('refused the token (401') });
    await expect(b.pushRemote('origin', () => {})).rejects.toMatchObject({ code: 'unauthorized' });
    b.remote('origin').acceptToken('wrong');
    expect(await b.testRemote('origin')).toBe(0);

    await b.addRemote({ ...ORIGIN, name: 'down', baseUrl: 'https://nowhere.invalid' });
    await expect(b.pullRemote('down', () => {})).rejects.toMatchObject({ code: 'network' });
    await b.removeRemote('down');
    expect((await b.listRemotes()).map((r) => r.name)).toEqual(['origin']);
    await expect(b.syncStatus('down')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('replaces a refused token, checks it like Rust, and never hands it out', async () => {
    const b = new MockBackend({ remoteTokens: { 'https://segments.example.com': 'right' } });
    await b.addRemote({ ...ORIGIN, token: 'wrong' });
    await expect(b.testRemote('origin')).rejects.toMatchObject({ code: 'unauthorized', message: expect.stringContaining('with "Replace token" on the Remotes page') });
    const refused = { code: 'credential', message: 'the token contains spaces or control characters (was a line break pasted with it?)' };
    await expect(b.replaceToken('origin', '  ')).rejects.toMatchObject({ code: 'credential', message: 'the token is empty' });
    await expect(b.replaceToken('origin', 'ri ght')).rejects.toMatchObject(refused);
    await expect(b.replaceToken('origin', 'ri\nght')).rejects.toMatchObject(refused);
    await expect(b.replaceToken('nope', 'right')).rejects.toMatchObject({ code: 'not_found' });
    await expect(b.addRemote({ ...ORIGIN, name: 'other', token: 'a b' })).rejects.toMatchObject(refused);
    await expect(b.testRemote('origin')).rejects.toMatchObject({ code: 'unauthorized' }); // a refused token changes nothing

    const info = await b.replaceToken('origin', ' right\n');
    expect(info).toEqual((await b.listRemotes())[0]);
    expect(JSON.stringify(info)).not.toContain('right');
    expect(await b.testRemote('origin')).toBe(0);
  });

  it('speaks Krafter: server ids, PATCH, keys derived from names on pull', async () => {
    const b = new MockBackend({ seed: false });
    await b.createSegment({ key: 'pro', name: 'Pro plan', description: '', match_type: 'all', rules: [{ attribute: 'plan', operator: 'eq', values: ['pro'] }] });
    await b.addRemote({ ...ORIGIN, name: 'k', dialect: 'krafter' });
    const preview = await b.previewPush('k');
    expect(preview.changes[0]).toMatchObject({ request: 'POST /flags/segments', body: { project_id: 'p1', rules: [{ key: 'plan', operator: 'equals', value: 'pro' }] } });
    await b.pushRemote('k', () => {});
    await b.updateSegment('pro', { ...(await b.getSegment('pro')), description: 'changed' });
    expect((await b.previewPush('k')).changes[0].request).toBe('PATCH /flags/segments/seg_0001');
    b.remote('k').add({ key: 'ignored', name: 'Team Accounts', description: '', match_type: 'all', rules: [{ attribute: 'seats', operator: 'gt', values: [10] }] });
    expect((await b.pullRemote('k', () => {})).created).toEqual(['team-accounts']);
  });
});
