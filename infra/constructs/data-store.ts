import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { table as definition } from '#shared/resources.ts';

export interface DataStoreProps {
  /**
   * What happens to the table when the stack is deleted.
   * @default RemovalPolicy.RETAIN — metrics history outlives a mistaken `cdk destroy`.
   */
  removalPolicy?: RemovalPolicy;
  /**
   * Whether DynamoDB refuses to delete the table, whoever asks.
   * @default true
   */
  deletionProtection?: boolean;
}

/** Flowmeter's single table, keyed and indexed from the shared definition. */
export class DataStore extends Construct {
  public readonly table: TableV2;

  constructor(scope: Construct, id: string, props: DataStoreProps = {}) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: definition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: definition.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: definition.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      })),
      timeToLiveAttribute: definition.timeToLiveAttribute,
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}
