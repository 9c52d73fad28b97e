import { Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, type IConfigurationSet, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { notifierFunction } from '#functions/notifier/function.ts';
import { unsubscribeFunction } from '#functions/unsubscribe/function.ts';
import { queues } from '../queues.ts';
import { FlowmeterFunction } from './flowmeter-function.ts';
import { queueWithDeadLetter } from './queue-with-dead-letter.ts';

export interface NotificationsProps {
  table: ITableV2;
  /** The public HTTP API that serves the unsubscribe links. */
  api: HttpApi;
  /**
   * The address emails come from. Its address or its domain must be a
   * verified SES identity in the deployment's region.
   */
  senderEmail: string;
  /**
   * An existing SES configuration set to send through.
   * @default a new one that suppresses addresses that bounce or complain
   */
  configurationSetName?: string | undefined;
  /** Where PR links in emails point (`flowmeter:githubWebUrl`, where its default lives). */
  githubWebUrl: string;
  /** The dashboard's base URL, which nudges link to. */
  dashboardUrl: string;
}

/**
 * Emails: the notifications queue (sync-complete events, digest requests)
 * and its dead-letter queue, the notifier that sends through SES with a
 * configuration set of its own, and the public unsubscribe route; the key
 * teams' Slack webhook URLs are sealed under, which the notifier opens them
 * with to post morning nudges (egress to Slack: docs/security.md).
 */
export class Notifications extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  public readonly notifier: FlowmeterFunction<typeof notifierFunction>;
  public readonly unsubscribe: FlowmeterFunction<typeof unsubscribeFunction>;
  public readonly configurationSet: IConfigurationSet;
  /** {"key": ...}: what the teams' Slack webhook URLs are sealed under (`slack-url-key.ts`). */
  public readonly slackKey: Secret;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = queueWithDeadLetter(
      this,
      queues.notify,
    ));
    // Addresses that bounce or complain are suppressed by SES itself.
    this.configurationSet = props.configurationSetName
      ? ConfigurationSet.fromConfigurationSetName(
          this,
          'ConfigurationSet',
          props.configurationSetName,
        )
      : new ConfigurationSet(this, 'ConfigurationSet', {
          suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
          reputationMetrics: true,
        });

    this.slackKey = new Secret(this, 'SlackKey', {
      description: 'The key teams\' Slack webhook URLs are sealed under: {"key": "<generated>"}',
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'key',
        passwordLength: 48,
        excludePunctuation: true,
      },
    });
    Validations.of(this.slackKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A new key makes every stored Slack URL unreadable until the teams set them again: rotated by hand, as docs/operating.md says.',
    });
    this.notifier = new FlowmeterFunction(this, 'Notifier', notifierFunction, {
      table: props.table,
      queues: { notify: this.queue },
      environment: {
        NOTIFY_FROM: props.senderEmail,
        SES_CONFIGURATION_SET: this.configurationSet.configurationSetName,
        UNSUBSCRIBE_URL: `${props.api.apiEndpoint}/unsubscribe`,
        GITHUB_WEB_URL: props.githubWebUrl,
        DASHBOARD_URL: props.dashboardUrl,
        SLACK_KEY_SECRET_ARN: this.slackKey.secretArn,
      },
    });
    this.slackKey.grantRead(this.notifier);
    const stack = Stack.of(this);
    const sesArn = (resource: string) =>
      stack.formatArn({ service: 'ses', resource, resourceName: undefined });
    const domain = props.senderEmail.split('@')[1] ?? props.senderEmail;
    // SES authorises a send against the sender's identity (address or
    // domain, whichever is verified) and the configuration set it names.
    this.notifier.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          sesArn(`identity/${props.senderEmail}`),
          sesArn(`identity/${domain}`),
          sesArn(`configuration-set/${this.configurationSet.configurationSetName}`),
        ],
      }),
    );
    this.unsubscribe = new FlowmeterFunction(this, 'Unsubscribe', unsubscribeFunction, {
      table: props.table,
      api: props.api,
    });
  }
}
