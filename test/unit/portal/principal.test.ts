import { describe, expect, it } from 'vitest';
import {
  principalFromGroups,
  UserRejectedError,
  validatePassword,
  validatePrincipal,
} from '../../../functions/core/portal/principal.ts';

describe('principal', () => {
  it('accepts a department user with its department', () => {
    expect(
      validatePrincipal({ username: 'fgw', role: 'department', dept: 'fgw', name: '发改委填报员' }),
    ).toEqual({
      username: 'fgw',
      role: 'department',
      dept: 'fgw',
      name: '发改委填报员',
    });
  });

  it('names every problem at once, in Chinese and English', () => {
    const error = (() => {
      try {
        validatePrincipal({ username: 'A B', role: 'boss', dept: 'Bad Id' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UserRejectedError);
    const problems = (error as UserRejectedError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/用户名.*username/);
    expect(problems.join('\n')).toMatch(/角色.*role/);
  });

  it('requires a department for department users and refuses one for others', () => {
    expect(() => validatePrincipal({ username: 'x1', role: 'department' })).toThrow(/--dept/);
    expect(() => validatePrincipal({ username: 'x1', role: 'leader', dept: 'fgw' })).toThrow(
      /only department users/,
    );
  });

  it('requires passwords of at least ten characters', () => {
    expect(() => validatePassword('short')).toThrow(UserRejectedError);
    expect(() => validatePassword('十个汉字的密码可以用吗')).not.toThrow();
  });

  it('maps Cognito groups to exactly one role', () => {
    expect(principalFromGroups('u1', '发改委', ['department:fgw'])).toEqual({
      username: 'u1',
      role: 'department',
      dept: 'fgw',
      name: '发改委',
    });
    expect(principalFromGroups('u2', undefined, ['auditor', 'unrelated'])?.role).toBe('auditor');
    expect(principalFromGroups('u3', 'x', ['leader', 'admin'])).toBeUndefined();
    expect(principalFromGroups('u4', 'x', ['department:Bad Id'])).toBeUndefined();
    expect(principalFromGroups('u5', 'x', [])).toBeUndefined();
  });
});
