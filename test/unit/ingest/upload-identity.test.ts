import { describe, expect, it } from 'vitest';
import {
  identifyUploader,
  localPrincipal,
  NO_TRUST,
  uploadTrust,
} from '../../../functions/core/ingest/upload-identity.ts';

// A deployment: the portal's role sets the uploader itself; gxj's upload role names its people.
const trust = uploadTrust({
  uploaderSetters: ['AROAPORTAL'],
  departmentRoles: { gxj: 'AROAGXJ' },
});

describe('identifyUploader', () => {
  it('names a department role session by its session name and keeps a differing claim only as declared', () => {
    // Act
    const identity = identifyUploader(
      { principalId: 'AWS:AROAGXJ:gxj-clerk', declared: 'fgw@jiefang.example.gov.cn' },
      trust,
    );

    // Assess
    expect(identity).toEqual({
      actor: 'gxj-clerk',
      identifiedBy: 'role-session',
      principal: 'AWS:AROAGXJ:gxj-clerk',
      declaredUploader: 'fgw@jiefang.example.gov.cn',
    });
  });

  it('believes the uploader the portal set, because its role sets it on the server', () => {
    // Act
    const identity = identifyUploader(
      { principalId: 'AWS:AROAPORTAL:duban-portal', declared: 'zhang.san' },
      trust,
    );

    // Assess
    expect(identity).toEqual({
      actor: 'zhang.san',
      identifiedBy: 'portal',
      principal: 'AWS:AROAPORTAL:duban-portal',
      declaredUploader: null,
    });
  });

  it('falls back to the portal principal when the portal set no uploader', () => {
    // Act
    const identity = identifyUploader({ principalId: 'AWS:AROAPORTAL:duban-portal' }, trust);

    // Assess
    expect(identity.actor).toBe('AWS:AROAPORTAL:duban-portal');
    expect(identity.identifiedBy).toBe('principal');
  });

  it('records any other principal as it is, never the name its metadata claims', () => {
    // Act
    const user = identifyUploader({ principalId: 'AWS:AIDAOPERATOR', declared: 'fgw' }, trust);
    const otherRole = identifyUploader({ principalId: 'AWS:AROAOTHER:someone', declared: 'someone' }, trust);

    // Assess
    expect(user).toMatchObject({ actor: 'AIDAOPERATOR', identifiedBy: 'principal', declaredUploader: 'fgw' });
    // The claim equals nothing authenticated, so it stays a claim.
    expect(otherRole).toMatchObject({
      actor: 'AROAOTHER:someone',
      identifiedBy: 'principal',
      declaredUploader: 'someone',
    });
  });

  it('drops a declared name equal to the authenticated one', () => {
    // Act
    const identity = identifyUploader({ principalId: 'AWS:AROAGXJ:gxj-clerk', declared: 'gxj-clerk' }, trust);

    // Assess
    expect(identity.declaredUploader).toBeNull();
  });

  it('takes the local stand-ins at their word only where the setting says they are local', () => {
    // Prepare
    const principalId = localPrincipal('operator');

    // Act
    const local = identifyUploader({ principalId, declared: 'portal-user' }, uploadTrust({ local: true }));
    const localNoName = identifyUploader({ principalId }, uploadTrust({ local: true }));
    const deployed = identifyUploader({ principalId, declared: 'portal-user' }, NO_TRUST);

    // Assess
    expect(local).toMatchObject({ actor: 'portal-user', identifiedBy: 'local', declaredUploader: null });
    expect(localNoName).toMatchObject({ actor: 'operator', identifiedBy: 'local' });
    expect(deployed).toMatchObject({
      actor: 'local:operator',
      identifiedBy: 'principal',
      declaredUploader: 'portal-user',
    });
  });

  it('says unknown when the event names no principal, keeping the claim as declared', () => {
    // Act
    const identity = identifyUploader({ principalId: '  ', declared: 'fgw' }, trust);

    // Assess
    expect(identity).toEqual({
      actor: 'unknown',
      identifiedBy: 'unknown',
      principal: null,
      declaredUploader: 'fgw',
    });
  });
});
