"""Seed the editable synonym list with the words people use for the same things."""

from django.db import migrations

# Each line is one group of words that mean the same to someone searching (editable in the admin).
SEED = """
户口, 户籍, 户口本, 户口簿
违章, 违法, 交通违法
房产证, 不动产, 不动产权证书, 房产
丢了, 丢失, 遗失, 挂失, 补办, 补领
补办, 补领, 补发, 补证
换证, 换领, 换发, 到期换证
续签, 再次签注, 签注
港澳通行证, 往来港澳通行证, 港澳证
台湾通行证, 往来台湾通行证, 台胞证
老年证, 优待证, 老年人优待证
社保卡, 市民卡, 社会保障卡
医保卡, 市民卡
社保, 社会保险
医保, 医疗保险, 基本医疗保险
养老金, 养老保险, 退休金
失业金, 失业保险金, 失业保险
公积金, 住房公积金
身份证, 居民身份证
驾照, 驾驶证, 机动车驾驶证
行驶证, 机动车行驶证
车辆, 机动车, 汽车
罚款, 罚单, 违法处理
暂住证, 居住证
准生证, 生育登记, 生育服务证
出生证, 出生医学证明
无犯罪证明, 无犯罪记录证明, 良民证
营业执照, 执照, 工商登记, 设立登记
开公司, 企业开办, 设立登记, 营业执照
个税, 个人所得税
发票, 增值税发票
残疾证, 残疾人证
低保, 最低生活保障
上户口, 出生登记, 户口登记
迁户口, 户口迁移, 户籍迁移
结婚证, 结婚登记
离婚证, 离婚登记
看病, 就医, 医疗
异地看病, 异地就医, 转外就医
公租房, 公共租赁住房
廉租房, 公共租赁住房
网上办, 网上办理, 在线办理
缴费, 交费, 缴纳
学生, 学籍
上学, 入学
退伍, 退役
退伍军人, 退役军人
华侨, 侨胞
生孩子, 生小孩, 生育, 出生
小孩, 孩子, 子女, 儿童
看病报销, 医药费报销, 医保报销, 医疗费用报销
年检, 年审, 检验标志
过户, 转移登记
""".strip()


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    if Synonym.objects.exists():
        return
    Synonym.objects.bulk_create(
        [Synonym(terms=line.strip(), note="seed") for line in SEED.splitlines() if line.strip()]
    )


def unseed(apps, schema_editor):
    apps.get_model("search", "Synonym").objects.filter(note="seed").delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
