import type { OperationContext, OperationResult } from './operationContext';
import type { RequestBody } from './requestBody';
import { fromRuleDescription, toRuleDescription } from './ruleCodec';

/** `com.microsoft:add-rule` on a subscription. */
export function addRule(context: OperationContext, body: RequestBody): OperationResult {
  const rules = context.namespace.resolveRules(context.address);
  const name = body.string('rule-name');
  rules.add(fromRuleDescription(name, body.optionalMap('rule-description') ?? {}));
  return { statusCode: 200 };
}

/** `com.microsoft:remove-rule` on a subscription. */
export function removeRule(context: OperationContext, body: RequestBody): OperationResult {
  context.namespace.resolveRules(context.address).remove(body.string('rule-name'));
  return { statusCode: 200 };
}

/** `com.microsoft:enumerate-rules`: the subscription's rules, paged by skip and top; 204 when there are none. */
export function enumerateRules(context: OperationContext, body: RequestBody): OperationResult {
  const skip = body.has('skip') ? body.number('skip') : 0;
  const top = body.has('top') ? body.number('top') : Infinity;
  const rules = context.namespace
    .resolveRules(context.address)
    .list()
    .slice(skip, skip + top);
  if (rules.length === 0) {
    return { statusCode: 204 };
  }
  return { statusCode: 200, body: { rules: rules.map((rule) => ({ 'rule-description': toRuleDescription(rule) })) } };
}
