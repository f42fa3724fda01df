import type { RuleConfig } from '../config/entityConfig';
import { RuleAlreadyExistsError, RuleNotFoundError } from '../errors';
import type { FilterableMessage } from '../filters/filterableMessage';
import { compileRule, type CompiledRule } from '../filters/ruleFilter';

/** The service's rule on a subscription created without rules: `$Default` with a true filter. */
export const defaultRuleConfig: RuleConfig = { name: '$Default', filter: { type: 'sql', expression: '1=1' } };

/**
 * The rules of one subscription: a message is copied to it when any rule matches. Changed at run time by the
 * SDK's rule manager; such changes last until the broker restarts (Config.json is the source of rules).
 */
export class RuleSet {
  private readonly rules = new Map<string, { config: RuleConfig; compiled: CompiledRule }>();

  constructor(
    private readonly subscriptionPath: string,
    rules: RuleConfig[],
  ) {
    for (const rule of rules.length > 0 ? rules : [defaultRuleConfig]) {
      this.add(rule);
    }
  }

  matches(message: FilterableMessage): boolean {
    for (const rule of this.rules.values()) {
      if (rule.compiled.matches(message)) {
        return true;
      }
    }
    return false;
  }

  add(rule: RuleConfig): void {
    const key = rule.name.toLowerCase();
    if (this.rules.has(key)) {
      throw new RuleAlreadyExistsError(this.subscriptionPath, rule.name);
    }
    this.rules.set(key, { config: rule, compiled: compileRule(rule) });
  }

  remove(name: string): void {
    if (!this.rules.delete(name.toLowerCase())) {
      throw new RuleNotFoundError(this.subscriptionPath, name);
    }
  }

  list(): RuleConfig[] {
    return [...this.rules.values()].map((rule) => rule.config);
  }
}
