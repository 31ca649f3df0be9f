import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, METRICS, TABLE, UPLOADS_BUCKET } from '../../functions/shared/resources.ts';
import { ASYNC_RETRY_ATTEMPTS, SCHEDULE_RETRY_ATTEMPTS } from '../../lib/constructs/bulletin.ts';
import { sharedSynth } from './support/synth-app.ts';
import {
  allowedPairs,
  flatten,
  logicalIds,
  onlyLogicalId,
  properties,
  resourceInventory,
} from './support/template-queries.ts';

let stateless: Template;

beforeAll(() => {
  const synthesized = sharedSynth();
  stateless = synthesized.stateless;
});

const fn = (prefix: string) => onlyLogicalId(stateless, 'AWS::Lambda::Function', prefix);
const role = (prefix: string) => onlyLogicalId(stateless, 'AWS::IAM::Role', prefix);
const queue = (prefix: string) => onlyLogicalId(stateless, 'AWS::SQS::Queue', prefix);

const FUNCTIONS = {
  ingest: 'IngestFunction',
  bulletin: 'BulletinFunction',
  check: 'BulletinCheckFunction',
  reminders: 'RemindersFunction',
  portal: 'PortalFunction',
} as const;

describe('stateless stack', () => {
  describe.each(Object.entries(FUNCTIONS))('function %s', (_name, prefix) => {
    it('runs nodejs22.x with the resource names and settings in the variables of functions/shared/resources.ts', () => {
      // Act
      const props = properties(stateless, fn(prefix));

      // Assess
      expect(props).toMatchObject({
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Architectures: ['x86_64'],
      });
      const vars = (props.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(vars)).toEqual(
        expect.arrayContaining([
          'NODE_OPTIONS',
          TABLE.envVar,
          UPLOADS_BUCKET.envVar,
          'DUBAN_ARCHIVE_BUCKET',
          ENV.stage,
          ENV.district,
          ENV.leaderEmails,
        ]),
      );
      expect(vars[TABLE.envVar]).toEqual({ 'Fn::ImportValue': expect.stringContaining('StorageMain') });
      expect(vars[ENV.leaderEmails]).toBe('["leader@example.gov.cn"]');
    });

    it('is traced by X-Ray, with only the trace actions granted on every resource', () => {
      // Act
      const props = properties(stateless, fn(prefix));
      const roleId = (props.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const onEverything = allowedPairs(stateless, roleId).filter(([, resource]) => resource === '*');

      // Assess
      expect(props.TracingConfig).toEqual({ Mode: 'Active' });
      expect(onEverything.map(([action]) => action).sort()).toEqual([
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
    });

    it('logs to its own log group with the configured retention', () => {
      // Act
      const props = properties(stateless, fn(prefix));
      const logGroupId = (props.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      const roleId = (props.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

      // Assess
      expect(properties(stateless, logGroupId)).toMatchObject({ RetentionInDays: 365 });
      expect(properties(stateless, logGroupId)).not.toHaveProperty('LogGroupName');
      // Its role may write to that log group only (no AWSLambdaBasicExecutionRole).
      expect(properties(stateless, roleId)).not.toHaveProperty('ManagedPolicyArns');
      const logPairs = allowedPairs(stateless, roleId).filter(([a]) => a.startsWith('logs:'));
      expect(logPairs).toEqual([
        ['logs:CreateLogStream', `<${logGroupId}.Arn>`],
        ['logs:PutLogEvents', `<${logGroupId}.Arn>`],
      ]);
    });
  });

  describe('ingest', () => {
    it('is fed from the upload queue one message at a time, with a capped concurrency', () => {
      // Act
      const mappings = stateless.findResources('AWS::Lambda::EventSourceMapping');

      // Assess
      expect(Object.values(mappings).map((m) => m.Properties)).toEqual([
        expect.objectContaining({
          BatchSize: 1,
          ScalingConfig: { MaximumConcurrency: 5 },
          FunctionName: { Ref: fn(FUNCTIONS.ingest) },
          EventSourceArn: { 'Fn::GetAtt': [queue('DeliveryUploads'), 'Arn'] },
        }),
      ]);
    });

    it('mails receipts as the sender only, linking the portal', () => {
      // Act
      const pairs = allowedPairs(stateless, role('IngestFunctionRole'));
      const env = (
        properties(stateless, fn(FUNCTIONS.ingest)).Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;

      // Assess
      expect(
        pairs.filter(([a]) => a.startsWith('ses:')).map(([a, r]) => [a, r.replace(/.*identity\//, '')]),
      ).toEqual([
        ['ses:SendEmail', 'duban@example.gov.cn'],
        ['ses:SendEmail', 'example.gov.cn'],
        ['ses:SendRawEmail', 'duban@example.gov.cn'],
        ['ses:SendRawEmail', 'example.gov.cn'],
      ]);
      expect(JSON.stringify(env[ENV.portalUrl])).toContain(
        onlyLogicalId(stateless, 'AWS::ApiGatewayV2::Api', 'Portal'),
      );
    });

    it('cannot touch the archive bucket and writes uploads only under raw/, quarantine/ and receipts/', () => {
      // Act
      const pairs = allowedPairs(stateless, role('IngestFunctionRole'));

      // Assess
      expect(pairs.some(([, r]) => r.includes('StorageArchive'))).toBe(false);
      const puts = pairs.filter(([a]) => a === 's3:PutObject').map(([, r]) => r.replace(/^<[^>]+>/, ''));
      expect(puts.sort()).toEqual(['/quarantine/*', '/raw/*', '/receipts/*']);
    });

    it('knows each department upload role and the portal by their role ids, so an upload names its person', () => {
      // Act
      const vars = (
        properties(stateless, fn(FUNCTIONS.ingest)).Environment as { Variables: Record<string, unknown> }
      ).Variables;
      const trust = JSON.parse(flatten(vars[ENV.uploadTrust])) as Record<string, unknown>;

      // Assess
      expect(trust).toEqual({
        // The portal sets the logged-in user as the uploader on the server.
        uploaderSetters: [expect.stringMatching(/^<PortalFunctionRole[^.]*\.RoleId>$/)],
        departmentRoles: {
          fgw: expect.stringMatching(/^<import:.*AccessDepartmentfgw.*RoleId.*>$/),
          gxj: expect.stringMatching(/^<import:.*AccessDepartmentgxj.*RoleId.*>$/),
        },
      });
      // Only ingest decides who uploaded.
      for (const other of [FUNCTIONS.bulletin, FUNCTIONS.check]) {
        const env = properties(stateless, fn(other)).Environment as { Variables: Record<string, unknown> };
        expect(env.Variables).not.toHaveProperty(ENV.uploadTrust);
      }
    });
  });

  describe('upload delivery', () => {
    it('notifies the queue of every object created under incoming/', () => {
      // Act
      const [notification] = Object.values(stateless.findResources('Custom::S3BucketNotifications'));

      // Assess
      expect(notification?.Properties.NotificationConfiguration).toEqual({
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: UPLOADS_BUCKET.prefixes.incoming }] } },
            QueueArn: { 'Fn::GetAtt': [queue('DeliveryUploads'), 'Arn'] },
          },
        ],
      });
      expect(notification?.Properties.Managed).toBe(false);
    });

    it('parks a message after three receives in a dead-letter queue it can be redriven from', () => {
      // Act
      const props = properties(stateless, queue('DeliveryUploads'));

      // Assess
      expect(props).toMatchObject({
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [queue('DeliveryDeadLetters'), 'Arn'] },
          maxReceiveCount: 3,
        },
        // Six times the 60 s ingest timeout.
        VisibilityTimeout: 360,
        SqsManagedSseEnabled: true,
      });
      expect(properties(stateless, queue('DeliveryDeadLetters'))).toMatchObject({
        MessageRetentionPeriod: 1209600,
      });
    });
  });

  describe('bulletin', () => {
    it('has 1600 MB or more, the configured timeout, 1 GB of /tmp and the Chromium layer', () => {
      // Act
      const props = properties(stateless, fn(FUNCTIONS.bulletin));

      // Assess
      expect(props.MemorySize).toBeGreaterThanOrEqual(1600);
      expect((props.Environment as { Variables: Record<string, unknown> }).Variables[ENV.templatesDir]).toBe(
        '/var/task/templates',
      );
      expect(props).toMatchObject({
        Timeout: 120,
        EphemeralStorage: { Size: 1024 },
        Layers: [{ Ref: onlyLogicalId(stateless, 'AWS::Lambda::LayerVersion', 'BulletinChromium') }],
      });
      expect(properties(stateless, onlyLogicalId(stateless, 'AWS::Lambda::LayerVersion', ''))).toMatchObject({
        CompatibleRuntimes: ['nodejs22.x'],
        CompatibleArchitectures: ['x86_64'],
      });
    });

    it('writes only under bulletins/ of the archive and cannot write the uploads bucket', () => {
      // Act
      const pairs = allowedPairs(stateless, role('BulletinFunctionRole'));

      // Assess
      const puts = pairs.filter(([a]) => a === 's3:PutObject').map(([, r]) => r);
      expect(puts).toEqual([expect.stringMatching(/StorageArchive.*>\/bulletins\/\*$/)]);
      expect(pairs.some(([, r]) => r.includes('StorageUploads'))).toBe(false);
      expect(pairs).toEqual(
        expect.arrayContaining([
          ['ses:SendEmail', expect.stringContaining('identity/duban@example.gov.cn')],
          ['ses:SendEmail', expect.stringContaining('identity/example.gov.cn')],
        ]),
      );
    });

    it.each([FUNCTIONS.bulletin, FUNCTIONS.reminders])(
      "retries a failed asynchronous run of %s twice, then sends it to the schedules' failure queue",
      (target) => {
        // Act
        const configs = Object.values(stateless.findResources('AWS::Lambda::EventInvokeConfig')).map(
          (r) => r.Properties,
        );

        // Assess
        expect(configs).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              FunctionName: { Ref: fn(target) },
              MaximumRetryAttempts: ASYNC_RETRY_ATTEMPTS,
              DestinationConfig: {
                OnFailure: { Destination: { 'Fn::GetAtt': [queue('BulletinFailures'), 'Arn'] } },
              },
            }),
          ]),
        );
      },
    );

    it.each([
      ['BulletinMonthly8', FUNCTIONS.bulletin, 'cron(0 * * * ? *)'],
      ['BulletinMonthlyCheck', FUNCTIONS.check, 'cron(0 10 * * ? *)'],
      ['RemindersHourly', FUNCTIONS.reminders, 'cron(0 * * * ? *)'],
    ])('schedule %s runs on Beijing time with retries and a dead-letter queue', (prefix, target, cron) => {
      // Act
      const props = properties(stateless, onlyLogicalId(stateless, 'AWS::Scheduler::Schedule', prefix));

      // Assess
      expect(props).toMatchObject({
        ScheduleExpression: cron,
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        State: 'ENABLED',
        Target: {
          Arn: { 'Fn::GetAtt': [fn(target), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS, MaximumEventAgeInSeconds: 21600 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue('BulletinFailures'), 'Arn'] } },
        },
      });
      const input = JSON.parse((props.Target as { Input: string }).Input);
      expect(input).toEqual({ source: 'duban.schedule', scheduledTime: '<aws.scheduler.scheduled-time>' });
    });
  });

  describe('reminders', () => {
    it('has no bucket access, may send mail as the sender only, and links the portal in its mails', () => {
      // Act
      const pairs = allowedPairs(stateless, role('RemindersFunctionRole'));
      const env = (
        properties(stateless, fn(FUNCTIONS.reminders)).Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;

      // Assess
      expect(pairs.filter(([a]) => a.startsWith('s3:'))).toEqual([]);
      expect(pairs.filter(([a]) => a.startsWith('ses:'))).toEqual([
        ['ses:SendEmail', expect.stringContaining('identity/duban@example.gov.cn')],
        ['ses:SendEmail', expect.stringContaining('identity/example.gov.cn')],
        ['ses:SendRawEmail', expect.stringContaining('identity/duban@example.gov.cn')],
        ['ses:SendRawEmail', expect.stringContaining('identity/example.gov.cn')],
      ]);
      expect(JSON.stringify(env[ENV.portalUrl])).toContain(
        onlyLogicalId(stateless, 'AWS::ApiGatewayV2::Api', 'Portal'),
      );
    });

    it('is invoked by its own scheduler role, which may invoke nothing else', () => {
      // Act
      const schedule = properties(
        stateless,
        onlyLogicalId(stateless, 'AWS::Scheduler::Schedule', 'RemindersHourly'),
      );
      const roleId = (schedule.Target as { RoleArn: { 'Fn::GetAtt': [string, string] } }).RoleArn[
        'Fn::GetAtt'
      ][0];
      const pairs = allowedPairs(stateless, roleId);

      // Assess
      expect(roleId).toBe(role('RemindersSchedulerRole'));
      const invokes = pairs.filter(([a]) => a === 'lambda:InvokeFunction').map(([, r]) => r);
      expect(invokes.length).toBeGreaterThan(0);
      expect(invokes.every((r) => r.includes(fn(FUNCTIONS.reminders)))).toBe(true);
      // The bulletin's group: its one target-error alarm covers this schedule too.
      const bulletinSchedule = properties(
        stateless,
        onlyLogicalId(stateless, 'AWS::Scheduler::Schedule', 'BulletinMonthly8'),
      );
      expect(schedule.GroupName).toEqual(bulletinSchedule.GroupName);
    });
  });

  describe('monitoring', () => {
    const alarms = () =>
      Object.values(stateless.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const topic = () => onlyLogicalId(stateless, 'AWS::SNS::Topic', 'MonitoringAlarms');

    it('sends every alarm to the one SNS topic, which mails the owner', () => {
      // Act
      const all = alarms();

      // Assess
      expect(all).toHaveLength(10);
      for (const alarm of all) expect(alarm.AlarmActions).toEqual([{ Ref: topic() }]);
      stateless.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'owner@example.gov.cn',
        TopicArn: { Ref: topic() },
      });
    });

    it.each(Object.values(FUNCTIONS))('alarms on errors of %s', (prefix) => {
      // Assess
      expect(alarms()).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Namespace: 'AWS/Lambda',
            MetricName: 'Errors',
            Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn(prefix) } }],
            Threshold: 1,
          }),
        ]),
      );
    });

    it.each(['DeliveryDeadLetters', 'BulletinFailures'])('alarms when %s holds a message', (prefix) => {
      // Assess
      expect(alarms()).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Namespace: 'AWS/SQS',
            MetricName: 'ApproximateNumberOfMessagesVisible',
            Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue(prefix), 'QueueName'] } }],
          }),
        ]),
      );
    });

    it('alarms when the scheduler cannot invoke its target', () => {
      // Prepare
      const group = properties(
        stateless,
        onlyLogicalId(stateless, 'AWS::Scheduler::ScheduleGroup', 'Bulletin'),
      );

      // Assess
      expect(alarms()).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Namespace: 'AWS/Scheduler',
            MetricName: 'TargetErrorCount',
            Dimensions: [{ Name: 'ScheduleGroup', Value: group.Name }],
          }),
        ]),
      );
    });

    it('alarms on BulletinMissing with the service and stage the check function emits it with', () => {
      // Act
      const alarm = alarms().find((a) => a.MetricName === METRICS.bulletinMissing);

      // Assess
      expect(alarm).toMatchObject({
        Namespace: METRICS.namespace,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
      });
      expect(alarm?.Dimensions).toEqual(
        expect.arrayContaining([
          { Name: METRICS.serviceDimension, Value: METRICS.services.bulletinCheck },
          { Name: METRICS.stageDimension, Value: 'test' },
        ]),
      );
      expect(alarm?.Dimensions).toHaveLength(2);
    });
  });

  it('keeps all functions out of the account-wide managed execution policy', () => {
    // Act
    const rolesWithManaged = logicalIds(stateless, 'AWS::IAM::Role').filter(
      (id) =>
        // CDK's own deploy-time handlers (bucket notifications; the AwsCustomResource that
        // writes the uploads CORS rule) carry the basic execution policy CDK gives them.
        !id.startsWith('BucketNotificationsHandler') &&
        !id.startsWith('AWS679f53fac002430cb0da5b7982bd2287') &&
        'ManagedPolicyArns' in properties(stateless, id),
    );

    // Assess
    expect(rolesWithManaged).toEqual([]);
  });

  it('holds exactly the reviewed resources, by type (a new resource is a reviewed change)', () => {
    // Act
    const inventory = resourceInventory(stateless);

    // Assess
    expect(inventory).toEqual({
      // The portal: HTTP API with one $default route to the function, one throttled stage.
      'AWS::ApiGatewayV2::Api': 1,
      'AWS::ApiGatewayV2::Integration': 1,
      'AWS::ApiGatewayV2::Route': 1,
      'AWS::ApiGatewayV2::Stage': 1,
      'AWS::CloudWatch::Alarm': 10,
      // Ingest, bulletin, check, reminders, portal, the bulletin's and the reminders' scheduler
      // roles; CDK's bucket-notification handler and the AwsCustomResource provider that writes
      // the uploads CORS rule.
      'AWS::IAM::Policy': 9,
      'AWS::IAM::Role': 9,
      'AWS::Lambda::EventInvokeConfig': 3,
      'AWS::Lambda::EventSourceMapping': 1,
      'AWS::Lambda::Function': 7,
      'AWS::Lambda::LayerVersion': 1,
      // API Gateway may invoke the portal function.
      'AWS::Lambda::Permission': 1,
      // One per function of ours and the portal's access log.
      'AWS::Logs::LogGroup': 6,
      'AWS::SNS::Subscription': 1,
      'AWS::SNS::Topic': 1,
      'AWS::SNS::TopicPolicy': 1,
      // Upload queue, its dead letters, the schedules' failures (bulletin, check, reminders).
      'AWS::SQS::Queue': 3,
      'AWS::SQS::QueuePolicy': 3,
      'AWS::Scheduler::Schedule': 3,
      'AWS::Scheduler::ScheduleGroup': 1,
      'Custom::AWS': 1,
      'Custom::S3BucketNotifications': 1,
    });
  });
});
